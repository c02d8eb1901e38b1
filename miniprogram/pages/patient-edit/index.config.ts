export default definePageConfig({ navigationBarTitleText: '就诊人信息' });
