import { describe, expect, it } from 'vitest';
import {
  citationText,
  confidenceLabel,
  formatReason,
  formatScore,
  groupBy,
  parseMarked,
  restrictedPaths,
  sameOrigin,
  segmentsFromSpans,
  srcset,
} from './format';

describe('formatReason', () => {
  it.each([
    [{ kind: 'homophone', detail: '得/德 同音' }, 'zh', '同音：得/德 同音'],
    [{ kind: 'homophone', detail: '得/德 同音' }, 'en', 'homophone: 得/德 同音'],
    [{ kind: 'hometown', detail: '籍贯相符 山东省胶县（胶县→胶州市 (1987)）' }, 'zh', '籍贯：籍贯相符 山东省胶县（胶县→胶州市 (1987)）'],
    [{ kind: 'shape', detail: '喜/善 形近' }, 'en', 'look-alike: 喜/善 形近'],
    [{ kind: 'brand_new_kind', detail: 'x' }, 'zh', 'brand_new_kind：x'],
  ] as const)('%j in %s', (r, lang, want) => {
    expect(formatReason(r, lang)).toBe(want);
  });
});

describe('formatScore', () => {
  it.each([
    [1, '100%', 'high'],
    [0.9, '90%', 'high'],
    [0.5667, '57%', 'low'],
    [0.7, '70%', 'mid'],
    [1.7, '100%', 'high'],
    [-1, '0%', 'low'],
    [Number.NaN, '0%', 'low'],
  ] as const)('%d', (s, pct, level) => {
    const f = formatScore(s, 'zh');
    expect(f.percent).toBe(pct);
    expect(f.level).toBe(level);
  });
  it('words follow the language', () => {
    expect(formatScore(0.9, 'zh').word).toBe('高度吻合');
    expect(formatScore(0.9, 'en').word).toBe('strong');
  });
});

describe('confidenceLabel', () => {
  it('clamps to 0..3', () => {
    expect(confidenceLabel(3, 'zh')).toBe('直接原始证据');
    expect(confidenceLabel(9, 'en')).toBe('direct primary evidence');
    expect(confidenceLabel(-2, 'en')).toBe('unreliable');
  });
});

describe('parseMarked', () => {
  it('splits marks and unescapes entities into text', () => {
    expect(parseMarked('他在<mark>胶县</mark>长大 &lt;b&gt; &amp; &#39;x&#39;')).toEqual([
      { text: '他在', mark: false },
      { text: '胶县', mark: true },
      { text: "长大 <b> & 'x'", mark: false },
    ]);
  });
  it('keeps other tags as literal text, never markup', () => {
    const segs = parseMarked('<img src=x onerror=alert(1)><mark>张</mark>');
    expect(segs[0]).toEqual({ text: '<img src=x onerror=alert(1)>', mark: false });
    expect(segs[1]).toEqual({ text: '张', mark: true });
  });
  it('merges adjacent marks', () => {
    expect(parseMarked('<mark>張</mark><mark>玉山</mark>')).toEqual([{ text: '張玉山', mark: true }]);
  });
  it('handles an empty string', () => {
    expect(parseMarked('')).toEqual([]);
  });
});

describe('segmentsFromSpans', () => {
  it('uses rune offsets, not UTF-16 units', () => {
    // 𠀀 is outside the BMP: one rune, two UTF-16 units.
    expect(segmentsFromSpans('𠀀胶县人', [{ start: 1, end: 3 }])).toEqual([
      { text: '𠀀', mark: false },
      { text: '胶县', mark: true },
      { text: '人', mark: false },
    ]);
  });
  it('clips bad spans', () => {
    expect(segmentsFromSpans('abc', [{ start: 2, end: 99 }, { start: 1, end: 2 }])).toEqual([
      { text: 'a', mark: false },
      { text: 'b', mark: true },
      { text: 'c', mark: true },
    ]);
  });
});

describe('citationText', () => {
  const base = {
    id: 's-0001',
    title: '栓柱回家了',
    author: '演示作者',
    date: '2022年9月',
    url: 'http://127.0.0.1:8080/stories/s-0001',
    accessed: new Date('2026-11-28T10:00:00Z'),
  };
  it('zh', () => {
    expect(citationText(base, 'zh')).toBe(
      '演示作者. 栓柱回家了[EB/OL]（2022年9月）. 归根 Guigen, 编号 s-0001. http://127.0.0.1:8080/stories/s-0001（2026-11-28 访问）.',
    );
  });
  it('en without author or date', () => {
    expect(citationText({ ...base, author: null, date: '' }, 'en')).toBe(
      '"栓柱回家了". Guigen, id s-0001. http://127.0.0.1:8080/stories/s-0001 (accessed 2026-11-28).',
    );
  });
});

describe('restrictedPaths', () => {
  it('collects FORBIDDEN and UNAUTHENTICATED paths only', () => {
    const s = restrictedPaths([
      { message: 'no', path: ['martyr', 'relatives', 1, 'person', 'personal'], extensions: { code: 'FORBIDDEN' } },
      { message: 'no', path: ['martyr', 'relatives', 2, 'person', 'personal'], extensions: { code: 'UNAUTHENTICATED' } },
      { message: 'boom', path: ['martyr'], extensions: { code: 'INTERNAL' } },
      { message: 'no path', extensions: { code: 'FORBIDDEN' } },
    ]);
    expect([...s]).toEqual(['martyr.relatives.1.person.personal', 'martyr.relatives.2.person.personal']);
  });
  it('is empty without errors', () => {
    expect(restrictedPaths(undefined).size).toBe(0);
  });
});

describe('srcset', () => {
  const imgs = [
    { width: 640, url: '/m/w640.jpg' },
    { width: 160, url: '/m/w160.jpg' },
    { width: 320, url: '/m/w320.jpg' },
  ];
  it('sorts and picks the narrowest wide enough', () => {
    expect(srcset(imgs, 300)).toEqual({ src: '/m/w320.jpg', srcset: '/m/w160.jpg 160w, /m/w320.jpg 320w, /m/w640.jpg 640w' });
    expect(srcset(imgs, 2000).src).toBe('/m/w640.jpg');
    expect(srcset([], 10)).toEqual({ src: '', srcset: '' });
  });
});

describe('sameOrigin', () => {
  it.each([
    ['http://127.0.0.1:8080/iiif/abc/info.json', '/iiif/abc/info.json'],
    ['https://guigen.example/media/x/w160.jpg', '/media/x/w160.jpg'],
    ['/media/x', '/media/x'],
    [null, ''],
  ])('%s', (u, want) => {
    expect(sameOrigin(u)).toBe(want);
  });
});

describe('groupBy', () => {
  it('keeps the order and empty groups', () => {
    const g = groupBy([{ s: 'B' }, { s: 'A' }, { s: 'B' }], (x) => x.s as 'A' | 'B' | 'C', ['A', 'B', 'C'] as const);
    expect([...g.keys()]).toEqual(['A', 'B', 'C']);
    expect(g.get('B')!.length).toBe(2);
    expect(g.get('C')).toEqual([]);
  });
});
