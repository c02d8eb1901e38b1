export default definePageConfig({ navigationBarTitleText: '健康趋势' });
