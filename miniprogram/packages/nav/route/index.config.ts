export default definePageConfig({ navigationBarTitleText: '院内导航' });
