import { describe, expect, it } from 'vitest';
import { callerIdentityOf, mayRead, principalOf } from '../../../../functions/orders-api/principal';
import { httpApiEvent } from '../../../support/events';

describe('principalOf', () => {
  it('reduces an assumed-role session to its role, so every session of a caller owns the same orders', () => {
    expect(principalOf('arn:aws:sts::111122223333:assumed-role/Storefront/i-0abc')).toBe(
      'arn:aws:iam::111122223333:role/Storefront',
    );
    expect(principalOf('arn:aws:sts::111122223333:assumed-role/Storefront/other-session')).toBe(
      principalOf('arn:aws:iam::111122223333:role/Storefront'),
    );
  });

  it('drops the path of roles and users, keeps other principals as they are', () => {
    expect(principalOf('arn:aws:iam::111122223333:role/app/Storefront')).toBe(
      'arn:aws:iam::111122223333:role/Storefront',
    );
    expect(principalOf('arn:aws:iam::111122223333:user/ops/alice')).toBe(
      'arn:aws:iam::111122223333:user/alice',
    );
    expect(principalOf('arn:aws:iam::111122223333:root')).toBe('arn:aws:iam::111122223333:root');
    expect(principalOf('arn:aws-cn:sts::111122223333:federated-user/bob')).toBe(
      'arn:aws-cn:sts::111122223333:federated-user/bob',
    );
  });
});

describe('mayRead', () => {
  const owner = principalOf('arn:aws:iam::111122223333:role/Storefront');
  const reader = 'arn:aws:iam::111122223333:role/support/OrderReader';

  it('lets the owner and the configured reader read, nobody else', () => {
    const caller = (userArn: string) => ({ userArn });
    expect(mayRead(caller('arn:aws:sts::111122223333:assumed-role/Storefront/s1'), owner, {})).toBe(true);
    expect(mayRead(caller('arn:aws:sts::111122223333:assumed-role/Other/s1'), owner, {})).toBe(false);
    expect(mayRead(caller('arn:aws:sts::111122223333:assumed-role/OrderReader/s1'), owner, {})).toBe(false);
    expect(
      mayRead(caller('arn:aws:sts::111122223333:assumed-role/OrderReader/s1'), owner, { readerArn: reader }),
    ).toBe(true);
    // Same role name in another account is another principal.
    expect(
      mayRead(caller('arn:aws:sts::444455556666:assumed-role/OrderReader/s1'), owner, { readerArn: reader }),
    ).toBe(false);
  });

  it('leaves an order without a recorded owner to the reader alone', () => {
    const storefront = { userArn: 'arn:aws:sts::111122223333:assumed-role/Storefront/s1' };
    expect(mayRead(storefront, undefined, {})).toBe(false);
    expect(mayRead({ userArn: reader }, undefined, { readerArn: reader })).toBe(true);
  });
});

describe('callerIdentityOf', () => {
  it("reads API Gateway's IAM authorizer fields, and nothing from an unauthorized event", () => {
    const userArn = 'arn:aws:iam::111122223333:user/alice';
    expect(callerIdentityOf(httpApiEvent({ method: 'GET', path: '/', caller: userArn }))).toEqual({
      userArn,
      accountId: '111122223333',
    });
    expect(callerIdentityOf(httpApiEvent({ method: 'GET', path: '/', caller: null }))).toBeUndefined();
  });
});
