import { maskEmail } from '../../lambda/shared/mask';

describe('masking an email for logs', () => {
  it.each([
    ['jane.doe@example.com', 'j***@example.com'],
    ['J@example.com', 'J***@example.com'],
    ['not-an-email', '***'],
    ['', '***'],
    [undefined, '***'],
  ])('%s → %s', (email, masked) => {
    expect(maskEmail(email)).toBe(masked);
  });
});
