// Taro's React runtime must be created once before any page or hook runs.
import React from 'react';
import ReactDOM from 'react-dom';
import { createReactApp } from '@tarojs/plugin-framework-react/dist/runtime';

createReactApp(() => null, React, ReactDOM, {});

HTMLCanvasElement.prototype.getContext = (() => null) as never;
