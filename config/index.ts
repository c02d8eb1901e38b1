import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import devConfig from './dev';
import prodConfig from './prod';
import type { Chunk, ChunkGraph, Module } from 'webpack';

// Code shared with the server (ID-card rules, masking) lives outside sourceRoot and must be compiled too.
const shared = { include: [path.resolve(__dirname, '..', 'common')] };

const resourceOf = (m: Module) => (m as Module & { resource?: string }).resource ?? '';
const inNodeModules = (m: Module) => /[\\/]node_modules[\\/]/.test(resourceOf(m));
/** A page chunk of a subpackage (miniprogram/packages/...), recognised by the page modules it holds. */
function isPackageChunk(chunk: Chunk, chunkGraph: ChunkGraph): boolean {
  for (const m of chunkGraph.getChunkModulesIterable(chunk)) {
    if (/[\\/]miniprogram[\\/]packages[\\/]/.test(resourceOf(m))) return true;
  }
  return false;
}
/** Used by subpackage pages only: the main package's pages (home first) never need it. */
function onlyInPackages(m: Module, { chunkGraph }: { chunkGraph: ChunkGraph }): boolean {
  const chunks = [...chunkGraph.getModuleChunksIterable(m)];
  return chunks.length > 0 && chunks.every((c) => isPackageChunk(c, chunkGraph));
}

// Taro build configuration: https://docs.taro.zone/docs/config
export default defineConfig<'webpack5'>(async (merge) => {
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'yilian-cloud-health',
    date: '2026-11-26',
    // NutUI is designed at 375 px wide; our own styles at 750.
    designWidth(input) {
      const file = (input as { file?: string } | undefined)?.file?.replace(/\\+/g, '/') ?? '';
      return file.includes('@nutui') ? 375 : 750;
    },
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'miniprogram',
    outputRoot: `dist/${process.env.TARO_ENV}`,
    plugins: [],
    defineConstants: {},
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    cache: { enable: false },
    mini: {
      compile: shared,
      miniCssExtractPluginOption: { ignoreOrder: true },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
    },
    h5: {
      compile: shared,
      // One shared chunk for libraries and one for our shared code, instead of a copy in every page chunk. What
      // only subpackage pages use (the trend chart, popups ...) gets chunks of its own, fetched when such a page
      // first opens, so that the home page does not download it.
      webpackChain(chain) {
        chain.optimization.splitChunks({
          chunks: 'all',
          cacheGroups: {
            packageVendors: {
              test: (m: Module, ctx: { chunkGraph: ChunkGraph }) => inNodeModules(m) && onlyInPackages(m, ctx),
              name: 'vendors-packages',
              priority: 20,
              reuseExistingChunk: true,
            },
            packageCommon: {
              test: (m: Module, ctx: { chunkGraph: ChunkGraph }) => onlyInPackages(m, ctx),
              minChunks: 2,
              name: 'common-packages',
              priority: 15,
              reuseExistingChunk: true,
            },
            vendors: { test: /[\\/]node_modules[\\/]/, name: 'vendors', priority: 10, reuseExistingChunk: true },
            common: { minChunks: 2, name: 'common', priority: 5, reuseExistingChunk: true },
          },
        });
      },
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'browser' },
      output: { filename: 'js/[name].[contenthash:8].js', chunkFilename: 'js/[name].[contenthash:8].js' },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
    },
  };
  return merge({}, baseConfig, process.env.NODE_ENV === 'development' ? devConfig : prodConfig);
});
