export default definePageConfig({ navigationBarTitleText: '医联云健康' });
