/**
 * The built-in case templates: the tasks a case of each fraud type always needs, added when a case opens (the
 * fraud type of its first report). Supervisors replace a template with `setCaseTemplate` (case_templates);
 * `resetCaseTemplate` goes back to these. Titles are bilingual because the tasks are read by investigators in
 * both languages.
 */
export interface TemplateTask {
  title: string;
  mandatory: boolean;
  /** due this many hours after the case opens */
  dueInHours: number;
}

const COMMON_FIRST: TemplateTask[] = [
  { title: '核实报案人身份与损失 / Verify the victim and the loss', mandatory: true, dueInHours: 24 },
  { title: '调取转账与通话记录 / Collect transfer and call records', mandatory: true, dueInHours: 48 },
];
const STOP: TemplateTask = {
  title: '对收款账户紧急止付 / Request the urgent payment stop on receiving accounts',
  mandatory: true,
  dueInHours: 2,
};
const CLOSE_NUMBERS: TemplateTask = {
  title: '提请关停涉诈号码 / Ask the carriers to suspend the numbers used',
  mandatory: false,
  dueInHours: 72,
};

export const DEFAULT_TEMPLATES: Readonly<Record<string, readonly TemplateTask[]>> = {
  IMPERSONATING_AUTHORITIES: [
    STOP,
    {
      title:
        '确认受害人已停止配合"办案"并卸载远程控制软件 / Make sure the victim stopped cooperating and removed remote-control apps',
      mandatory: true,
      dueInHours: 4,
    },
    ...COMMON_FIRST,
    CLOSE_NUMBERS,
  ],
  FAKE_INVESTMENT: [
    STOP,
    ...COMMON_FIRST,
    { title: '固定投资平台网址与App证据 / Preserve the platform URLs and the app', mandatory: true, dueInHours: 48 },
  ],
  ORDER_BRUSHING: [
    STOP,
    ...COMMON_FIRST,
    { title: '固定聊天记录 / Preserve the chat history', mandatory: false, dueInHours: 48 },
  ],
  FAKE_CUSTOMER_SERVICE: [STOP, ...COMMON_FIRST, CLOSE_NUMBERS],
  FAKE_LOAN: [STOP, ...COMMON_FIRST],
  FAKE_CREDIT_REPAIR: [STOP, ...COMMON_FIRST, CLOSE_NUMBERS],
  IMPERSONATING_ACQUAINTANCE: [
    STOP,
    ...COMMON_FIRST,
    {
      title: '核实被冒充者账号是否被盗 / Check whether the impersonated account was stolen',
      mandatory: false,
      dueInHours: 24,
    },
  ],
  ONLINE_ROMANCE: [STOP, ...COMMON_FIRST],
  FAKE_SHOPPING: [...COMMON_FIRST],
  GAME_TRADING: [...COMMON_FIRST],
  OTHER: [...COMMON_FIRST],
};

export function defaultTemplate(fraudType: string): readonly TemplateTask[] {
  return DEFAULT_TEMPLATES[fraudType] ?? DEFAULT_TEMPLATES.OTHER;
}
