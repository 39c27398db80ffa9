import { describe, expect, it } from 'vitest';
import { escapeHtml, jsonForScript } from '../../../src/report/html/escape.js';

describe('escapeHtml', () => {
  it('turns markup characters into references', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;',
    );
  });
  it('drops control characters HTML forbids, keeps tab and newline', () => {
    expect(escapeHtml('a\u0000b\u001bc\td\ne\u007f')).toBe('abc\td\ne');
  });
});

describe('jsonForScript', () => {
  it('cannot close its script element or open a comment', () => {
    const text = jsonForScript({ p: '</script><script>alert(1)</script><!--' });
    expect(text).not.toMatch(/[<>]/);
    expect(JSON.parse(text)).toEqual({ p: '</script><script>alert(1)</script><!--' });
  });
  it('escapes line and paragraph separators and keeps lone surrogates readable', () => {
    const text = jsonForScript(['a\u2028b\u2029c', 'x\ud800y', 'caf\ufffd.jpg']);
    expect(text).not.toMatch(/[\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(['a\u2028b\u2029c', 'x\ud800y', 'caf\ufffd.jpg']);
  });
});
