export default definePageConfig({ navigationBarTitleText: '健康工具' });
