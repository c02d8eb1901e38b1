// Taro's React runtime must be created once before any page or hook runs.
import React from 'react';
import ReactDOM from 'react-dom';
import { createReactApp } from '@tarojs/plugin-framework-react/dist/runtime';

// Its warnings about unimplemented capture listeners are expected in jsdom.
const { warn, error } = console;
console.warn = console.error = () => {};
createReactApp(() => null, React, ReactDOM, {});
Object.assign(console, { warn, error });

// jsdom has no canvas; NutUI touches a 2D context when it loads. Any property
// can be set on this stand-in and any method called.
const fakeContext: object = new Proxy({}, { get: () => () => fakeContext, set: () => true });
HTMLCanvasElement.prototype.getContext = (() => fakeContext) as never;

// jsdom stands in for the browser: render as the H5 build does.
process.env.TARO_ENV = 'h5';

// jsdom does not lay out, so it has no scrollIntoView (Taro's ScrollView calls it to show the chosen date).
Element.prototype.scrollIntoView ??= () => undefined;
