// Jest stand-in for `@tarojs/taro`: the H5 implementation, with its named
// exports copied onto the default export as Taro's own build does.
import * as taroH5 from '@tarojs/taro-h5';

const Taro = { ...(taroH5 as Record<string, unknown>), ...((taroH5 as { default?: object }).default ?? {}) };
for (const [key, value] of Object.entries(taroH5)) if (key !== 'default') (Taro as Record<string, unknown>)[key] = value;

export default Taro;
export * from '@tarojs/taro-h5';
