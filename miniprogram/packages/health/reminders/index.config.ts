export default definePageConfig({ navigationBarTitleText: '测量提醒' });
