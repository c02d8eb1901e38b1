// @ts-check
// Server code through ts-jest.
const nodeTransform = {
  transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
};

/** Taro's compile-time globals, which its runtime reads in tests too. */
const taroGlobals = {
  ENABLE_INNER_HTML: true,
  ENABLE_ADJACENT_HTML: true,
  ENABLE_SIZE_APIS: true,
  ENABLE_TEMPLATE_CONTENT: true,
  ENABLE_MUTATION_OBSERVER: true,
  ENABLE_CLONE_NODE: true,
  ENABLE_CONTAINS: true,
  DEPRECATED_ADAPTER_COMPONENT: false,
  __TARO_FRAMEWORK__: 'react',
};

/** @type {import('jest').Config} */
const config = {
  projects: [
    {
      displayName: 'server',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/server'],
      testPathIgnorePatterns: ['/setup\\.ts$'],
      ...nodeTransform,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      setupFilesAfterEnv: ['<rootDir>/test/server/setup.ts'],
    },
    {
      displayName: 'miniprogram',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/test/miniprogram'],
      transform: { '^.+\\.m?[jt]sx?$': ['babel-jest', { configFile: './test/miniprogram/babel.config.js' }] },
      transformIgnorePatterns: [],
      moduleFileExtensions: ['ts', 'tsx', 'js', 'jsx', 'mjs', 'json'],
      moduleNameMapper: {
        '^@tarojs/components$': '@tarojs/components/lib/react',
        '^@tarojs/taro$': '<rootDir>/test/miniprogram/support/taro-shim.ts',
        '\\.(css|scss)$': '<rootDir>/test/miniprogram/support/style-stub.js',
        '^@/(.*)$': '<rootDir>/miniprogram/$1',
      },
      setupFiles: ['<rootDir>/test/miniprogram/support/setup.ts'],
      globals: taroGlobals,
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/e2e'],
      ...nodeTransform,
      globalSetup: '<rootDir>/test/e2e/global-setup.ts',
      setupFilesAfterEnv: ['<rootDir>/test/e2e/setup.ts'],
    },
  ],
};

module.exports = config;
