// Jest stand-in for `@tarojs/taro`: the H5 API implementation plus the React
// hooks (useRouter, useReachBottom, ...) that Taro's build normally merges in.
import * as taroH5 from '@tarojs/taro-h5';
import * as reactRuntime from '@tarojs/plugin-framework-react/dist/runtime';

const hooks = Object.fromEntries(Object.entries(reactRuntime).filter(([key]) => key.startsWith('use')));
const Taro: Record<string, unknown> = {
  ...((taroH5 as { default?: object }).default ?? {}),
  ...Object.fromEntries(Object.entries(taroH5).filter(([key]) => key !== 'default')),
  ...hooks,
};

export default Taro;
export * from '@tarojs/taro-h5';
export * from '@tarojs/plugin-framework-react/dist/runtime';
