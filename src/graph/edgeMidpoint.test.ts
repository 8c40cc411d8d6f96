import { describe, expect, it } from 'vitest';
import { edgeMidpoint } from './edgeMidpoint';

describe('edgeMidpoint', () => {
  it('is halfway between the facing sides, at mid-height', () => {
    const a = { x: 0, y: 0, w: 100, h: 40 };
    const b = { x: 200, y: 100, w: 100, h: 60 };
    expect(edgeMidpoint(a, b)).toEqual([150, 75]);
  });

  it('faces the other way when the target is to the left', () => {
    const a = { x: 200, y: 0, w: 100, h: 40 };
    const b = { x: 0, y: 0, w: 100, h: 40 };
    expect(edgeMidpoint(a, b)).toEqual([150, 20]);
  });
});
