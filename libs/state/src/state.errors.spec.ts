import { describe, expect, it } from 'vitest';
import { ScriptErrorCode, StateScriptError, readScriptReply } from './state.errors.js';

describe('readScriptReply', () => {
  it('passes per-key codes through', () => {
    expect(readScriptReply([1, 0, 2], 'writeStable')).toEqual([1, 0, 2]);
    expect(readScriptReply([], 'writeStable')).toEqual([]);
  });

  it('maps the fenced code to a result, not an error', () => {
    expect(readScriptReply(ScriptErrorCode.Fenced, 'writeStable')).toBe('fenced');
  });

  it('turns other codes into a typed, non-retriable error', () => {
    expect(() => readScriptReply(ScriptErrorCode.BadRecord, 'writePending')).toThrow(
      StateScriptError,
    );
    expect(() => readScriptReply('OK', 'writePending')).toThrow(/unexpected reply/);
    const error = (() => {
      try {
        return readScriptReply(-2, 'writeStable');
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toMatchObject({ code: 'STATE_SCRIPT_REFUSED', retriable: false });
  });
});
