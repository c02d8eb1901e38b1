export default definePageConfig({ navigationBarTitleText: '费用查询' });
