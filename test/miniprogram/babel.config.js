// Babel for jest's miniprogram project: Taro code and its ESM dependencies,
// with NutUI imported per component exactly as in the real build.
module.exports = {
  presets: [
    ['@babel/preset-env', { targets: { node: 'current' } }],
    ['@babel/preset-react', { runtime: 'automatic' }],
    '@babel/preset-typescript',
  ],
  plugins: require('../../babel.config.js').plugins,
};
