import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import fc from 'fast-check';
import { IsIdText, IsNameText, IsReasonText, IsReportText } from './text.rules';

class Probe {
  @IsNameText(100) name: string;
  @IsReasonText(500) reason: string;
  @IsIdText(200) id: string;
  @IsReportText(500, true) text: string;
}
type Field = keyof Probe;

/** The value as a DTO field would hold it after the pipe, or undefined when refused. */
function edge(field: Field, value: string): string | undefined {
  const probe = plainToInstance(Probe, { name: 'n', reason: 'r', id: 'i', text: 't', [field]: value });
  const errors = validateSync(probe).filter((e) => e.property === field);
  return errors.length ? undefined : probe[field];
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F]/;
const BIDI = /[\u202A-\u202E\u2066-\u2069]/;
const anyText = fc.string({ unit: 'binary', maxLength: 60 });
const control = fc.constantFrom('\u0000', '\u0007', '\u001B', '\u007F', '\u0008');
const bidi = fc.constantFrom('\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069');
const markup = fc.constantFrom('<b>', '</p>', '<!--', '<?xml', '<script>', '<img src=x>');
const blank = fc
  .array(fc.constantFrom(' ', '\t', '\n', '\r', '\u3000', '\u00A0'), { maxLength: 8 })
  .map((a) => a.join(''));
const insert = (s: string, at: number, x: string) => {
  const cs = [...s];
  const i = at % (cs.length + 1);
  return [...cs.slice(0, i), x, ...cs.slice(i)].join('');
};

describe('text rules at the edge', () => {
  it('what a name field keeps is trimmed, folded, and free of controls, bidi and markup; keeping it again changes nothing', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const kept = edge('name', s);
        if (kept === undefined) return;
        expect(kept).toBe(kept.trim());
        expect(kept).not.toMatch(/\s\s/);
        expect(kept).not.toMatch(CONTROL);
        expect(kept).not.toMatch(BIDI);
        expect(kept).not.toMatch(/<[A-Za-z/!?]/);
        expect(kept.length).toBeGreaterThan(0);
        expect(edge('name', kept)).toBe(kept);
      }),
    );
  });

  it('empty and blank strings are refused by every rule but report text', () => {
    fc.assert(
      fc.property(blank, (s) => {
        for (const f of ['name', 'reason', 'id'] as const) expect(edge(f, s)).toBeUndefined();
      }),
    );
  });

  it('a control, a bidi control or markup put into an accepted value makes it refused', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Field>('name', 'reason', 'id'),
        fc.string({ minLength: 1, maxLength: 30 }),
        fc.oneof(control, bidi, markup),
        fc.nat(),
        (field, s, bad, at) => {
          const kept = edge(field, s);
          fc.pre(kept !== undefined);
          if (field === 'id' && bad.startsWith('<')) return; // ids are exact: markup is just characters there
          expect(edge(field, insert(kept, at, bad))).toBeUndefined();
        },
      ),
    );
  });

  it('report text is never refused for bidi controls: they are removed, the rest is kept as written', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.array(fc.tuple(bidi, fc.nat()), { maxLength: 4 }), (s, bidis) => {
        fc.pre(!CONTROL.test(s.replace(/[\t\r\n]/g, '')) && !BIDI.test(s));
        const mixed = bidis.reduce((acc, [b, at]) => insert(acc, at, b), s);
        expect(edge('text', mixed)).toBe(s);
      }),
    );
  });

  it('reasons are trimmed; lines inside are kept', () => {
    expect(edge('reason', '  same script\nsame bank  ')).toBe('same script\nsame bank');
    expect(edge('reason', 'fewer than <5 victims')).toBe('fewer than <5 victims');
    expect(edge('id', ' x ')).toBe(' x ');
  });
});
