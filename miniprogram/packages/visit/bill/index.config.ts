export default definePageConfig({ navigationBarTitleText: '费用明细' });
