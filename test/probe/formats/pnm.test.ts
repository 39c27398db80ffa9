import { describe } from 'vitest';
import { concat, text } from '../../helpers/bytes.js';
import { readerCases } from '../../helpers/reader-cases.js';

const t = (s: string): Uint8Array => concat(text(s));

describe('PNM, PAM and PFM', () => {
  readerCases(
    'pnm',
    () => [
      { name: 'P6', bytes: t('P6\n# a comment\n37 23\n255\n'), expect: { pillowMode: 'RGB', width: 37, height: 23 } },
      { name: 'P5 16-bit', bytes: t('P5 37 23 65535\n'), expect: { pillowMode: 'I', bitsPerSample: 16 } },
      { name: 'P2 maxval 1000', bytes: t('P2\n37 23\n1000\n1 2 3'), expect: { pillowMode: 'I' } },
      { name: 'P4', bytes: t('P4\n37 23\n'), expect: { pillowMode: '1' } },
      {
        name: 'P1 with comments between fields',
        bytes: t('P1\n#c\n37\n#c\n23\n0 1'),
        expect: { pillowMode: '1', height: 23 },
      },
      { name: 'Pf (Pillow 9.5 on)', bytes: t('Pf\n37 23\n-1.0\n'), expect: { pillowMode: 'F', pillowSince: 905 } },
      {
        name: 'PF: sized, refused by Pillow',
        bytes: t('PF\n37 23\n-1.0\n'),
        expect: { width: 37, pillowRefusal: 'Pillow reads grey PFM (Pf), not colour (PF)' },
      },
      {
        name: 'PAM: sized, refused by Pillow',
        bytes: t('P7\nWIDTH 37\nHEIGHT 23\nDEPTH 4\nMAXVAL 255\nTUPLTYPE RGB_ALPHA\nENDHDR\n'),
        expect: { width: 37, channels: 4, pillowRefusal: 'Pillow does not read PAM (P7)' },
      },
    ],
    () => [
      ['width 0', t('P6 0 5 255\n'), 'E_DIMENSIONS'],
      ['width of 11 digits', t('P6 12345678901 5 255\n'), 'E_NOT_IMAGE'],
      ['width 4294967295', t('P6 4294967295 5 255\n'), 'E_DIMENSIONS'],
      ['maxval 0', t('P5 5 5 0\n'), 'E_BAD_HEADER'],
      ['maxval 70000', t('P5 5 5 70000\n'), 'E_BAD_HEADER'],
      ['a PFM scale of 0', t('Pf 5 5 0\n'), 'E_BAD_HEADER'],
      ['a PAM without ENDHDR', t('P7\nWIDTH 5\nHEIGHT 5\nDEPTH 3\nMAXVAL 255\n'), 'E_TRUNCATED'],
      ['a PAM of depth 9', t('P7\nWIDTH 5\nHEIGHT 5\nDEPTH 9\nMAXVAL 255\nENDHDR\n'), 'E_BAD_HEADER'],
    ],
  );
});
