export default definePageConfig({ navigationBarTitleText: '家人分享的报告' });
