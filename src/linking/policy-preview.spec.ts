import type { LinkIdentifier } from './engine';
import { LinkPolicyValue } from './models/linking.models';
import { policyRefusal } from './judgement-rules';

describe('policyRefusal', () => {
  it('refuses ALWAYS on a warninglisted value with the list note, and nothing else', () => {
    expect(policyRefusal('PHONE:CN:95588', LinkPolicyValue.ALWAYS, undefined)).toMatch(
      /^CN:95588 is on the warninglist \(.+\)/,
    );
    expect(policyRefusal('PHONE:CN:95588', LinkPolicyValue.NEVER, undefined)).toBeNull();
    expect(policyRefusal('PHONE:CN:95588', LinkPolicyValue.DEFAULT, undefined)).toBeNull();
    expect(policyRefusal('WECHAT_ID:ring_one', LinkPolicyValue.ALWAYS, undefined)).toBeNull();
  });

  it("follows the stored identifier's warninglist flag (a list change rolled out per identifier)", () => {
    const doc = (warninglisted: boolean) => ({ warninglisted }) as LinkIdentifier;
    expect(policyRefusal('WECHAT_ID:ring_one', LinkPolicyValue.ALWAYS, doc(true))).toMatch(/warninglist/);
    expect(policyRefusal('PHONE:CN:95588', LinkPolicyValue.ALWAYS, doc(false))).toBeNull();
  });
});
