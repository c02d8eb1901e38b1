export default defineAppConfig({
  pages: [
    'pages/index/index',
    'pages/health/index',
    'pages/mine/index',
    'pages/hospital-list/index',
    'pages/hospital/index',
    'pages/department/index',
    'pages/login/index',
    'pages/patients/index',
    'pages/patient-edit/index',
    'pages/privacy/index',
    // The public page a shared report link opens (H5 only; weapp share cards open packages/reports/shared).
    ...(process.env.TARO_ENV === 'h5' ? ['pages/shared/index'] : []),
  ],
  // Booking pages load on demand, keeping the main package small for slow phones.
  subPackages: [
    {
      root: 'packages/booking',
      pages: ['doctor/index', 'confirm/index', 'result/index', 'appointments/index', 'appointment/index'],
    },
    { root: 'packages/messages', pages: ['inbox/index', 'settings/index'] },
    { root: 'packages/reports', pages: ['list/index', 'detail/index', 'shares/index', 'shared/index'] },
    // Indoor navigation: the floor drawing and route code stay out of the main package.
    { root: 'packages/nav', pages: ['route/index'] },
    { root: 'packages/visit', pages: ['queue/index', 'bills/index', 'bill/index'] },
    {
      root: 'packages/health',
      pages: ['trend/index', 'record/index', 'tools/index', 'articles/index', 'article/index', 'reminders/index'],
    },
    { root: 'packages/triage', pages: ['check/index', 'book/index', 'tickets/index', 'ticket/index'] },
  ],
  // WeChat injects only the components a page uses (a check in miniprogram-ci's code quality report).
  lazyCodeLoading: 'requiredComponents',
  window: {
    // 'default' also makes Taro draw its title bar with back / home on H5 (hidden otherwise).
    navigationStyle: 'default',
    navigationBarBackgroundColor: '#0b6fd6',
    navigationBarTitleText: '医联云健康',
    navigationBarTextStyle: 'white',
    backgroundColor: '#eef1f5',
    backgroundTextStyle: 'light',
  },
  tabBar: {
    color: '#5c6670',
    selectedColor: '#0b6fd6',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      {
        pagePath: 'pages/index/index',
        text: '首页',
        iconPath: 'assets/tab/home.png',
        selectedIconPath: 'assets/tab/home-active.png',
      },
      {
        pagePath: 'pages/health/index',
        text: '健康',
        iconPath: 'assets/tab/health.png',
        selectedIconPath: 'assets/tab/health-active.png',
      },
      {
        pagePath: 'pages/mine/index',
        text: '我的',
        iconPath: 'assets/tab/mine.png',
        selectedIconPath: 'assets/tab/mine-active.png',
      },
    ],
  },
});
