/**
 * The privacy policy shown before the first sensitive action. Its version is
 * configuration (PRIVACY_POLICY_VERSION): a new version needs fresh consent.
 */
export function privacyPolicy(version: string) {
  return {
    version,
    title: '医联云健康个人信息保护政策',
    sections: [
      {
        heading: '我们收集哪些信息',
        body: '为帮助您预约挂号，我们会收集您和您添加的就诊人的姓名、身份证号、手机号。身份证号和手机号属于敏感个人信息，我们加密保存，页面上只显示部分号码。',
      },
      {
        heading: '健康信息的单独同意',
        body: '预约、报告查询等服务需要处理您的医疗健康信息。依据《个人信息保护法》第二十八、二十九条，我们会在您首次使用这些服务前单独征求您的同意。您可以随时在“我的-隐私与授权”中撤回同意；撤回后我们将停止处理，但不影响撤回前已进行的处理。',
      },
      {
        heading: '信息如何使用与共享',
        body: '您的信息仅用于实名认证和向您选择的医院提交预约。我们不会将您的信息用于广告，也不会出售给任何第三方。',
      },
      {
        heading: '未成年人',
        body: '不满十四周岁的儿童须由其监护人（账号本人）添加为就诊人并代为操作。',
      },
      {
        heading: '注销账号',
        body: '您可以在“我的”中注销账号。注销后我们将删除或匿名化您的个人信息；医院依法需保存的就诊记录将以去标识化方式保留。',
      },
    ],
  };
}
