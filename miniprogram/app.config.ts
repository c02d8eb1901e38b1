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
  ],
  // Booking pages load on demand, keeping the main package small for slow phones.
  subPackages: [
    {
      root: 'packages/booking',
      pages: ['doctor/index', 'confirm/index', 'result/index', 'appointments/index', 'appointment/index'],
    },
  ],
  window: {
    navigationBarBackgroundColor: '#0b6fd6',
    navigationBarTitleText: '医联云健康',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f4f6f9',
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
