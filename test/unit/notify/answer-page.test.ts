import { describe, expect, it } from 'vitest';
import { renderAnswerPage } from '#notify/answer-page.ts';
import { renderAnswerLinks, withAnswerLinks } from '#notify/index.ts';

describe('the answer page', () => {
  it('asks for a confirmation with a form that POSTs, in the notice language, and records by button only', () => {
    const html = renderAnswerPage({
      kind: 'confirm',
      language: 'en',
      noticeKind: 'bill-preview',
      actions: ['call-me'],
      postUrl: '/a/tok',
      manager: { name: 'Wang Wei', phone: '+86 139 0000 1111' },
    });
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<form method="post" action="/a/tok" data-action="call-me">');
    expect(html).toContain('name="text"');
    expect(html).toContain('name="preferredTime"');
    expect(html).toContain('href="tel:+8613900001111"');
    expect(html).not.toContain('<script');
  });

  it('escapes whatever it shows: a manager name or an issue with markup', () => {
    const manager = renderAnswerPage({
      kind: 'recorded',
      language: 'zh-CN',
      noticeKind: 'bill-preview',
      action: 'received',
      manager: { name: '<img src=x onerror=alert(1)>', phone: '"><script>' },
    });
    expect(manager).not.toContain('<img src=x');
    expect(manager).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const refused = renderAnswerPage({ kind: 'refused', language: 'en', issues: ['text: <b>bad</b>'] });
    expect(refused).toContain('text: &lt;b&gt;bad&lt;/b&gt;');
  });

  it('says a warning link records a receipt of the notice, not of a bill', () => {
    const html = renderAnswerPage({
      kind: 'confirm',
      language: 'zh-CN',
      noticeKind: 'arrears-warning',
      actions: ['received', 'paid', 'talk', 'call-me'],
      postUrl: '/s/code',
    });
    expect(html).toContain('已收到本通知');
    expect(html.match(/<form /g)).toHaveLength(4);
  });
});

describe('the answer links under an email', () => {
  it('go before the end of the body in the HTML and after the text, one per answer', () => {
    const block = renderAnswerLinks(
      [
        { action: 'received', url: 'https://x.example/a/t1' },
        { action: 'rate', url: 'https://x.example/a/t2?a=1&b=2' },
      ],
      'en',
      'bill-preview',
    );
    const email = withAnswerLinks({ html: '<html><body><p>bill</p></body></html>', text: 'bill' }, block);
    expect(email.html).toMatch(
      /<p>bill<\/p><table role="presentation" data-field="answer-links".*<\/table><\/body><\/html>$/,
    );
    expect(email.html).toContain('href="https://x.example/a/t2?a=1&amp;b=2"');
    expect(email.text).toContain('- Rate our service: https://x.example/a/t2?a=1&b=2');
  });
});
