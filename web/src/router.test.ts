import { describe, expect, it } from 'vitest';
import { match } from './router';

describe('match', () => {
  it.each([
    ['/martyr/:id', '/martyr/m-0001', { id: 'm-0001' }],
    ['/martyr/:id', '/martyr/m-0001/', { id: 'm-0001' }],
    ['/leads/:id', '/leads/lead%2F1', { id: 'lead/1' }],
    ['/stories/:id', '/stories/%E6%95%85%E4%BA%8B', { id: '故事' }],
    ['/martyr/:id', '/martyr', null],
    ['/martyr/:id', '/leads/x', null],
    ['/leads', '/leads', {}],
  ])('%s ~ %s', (pattern, path, want) => {
    expect(match(pattern, path)).toEqual(want);
  });
});
