import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, MaxLength, MinLength, ValidateBy, ValidationOptions } from 'class-validator';

/**
 * THE rules for strings at the API's edge; every DTO uses one of these decorators for a string it takes
 * (codes with a fixed form — unit codes, actions, e-mails, phones — use @Matches / @IsEmail instead, and
 * passwords are taken as typed). What each does:
 *
 * | decorator       | for                                   | trimmed             | blank   | controls¹   | bidi² | HTML³   |
 * |-----------------|---------------------------------------|---------------------|---------|-------------|-------|---------|
 * | @IsIdText       | ids and filter codes                  | no (ids are exact)  | refused | refused     | refused | —     |
 * | @IsNameText     | names people read (displayName)       | yes, inner runs → 1 | refused | refused     | refused | refused |
 * | @IsReasonText   | reasons kept in the audit/judgements  | yes                 | refused | tab/LF ok   | refused | refused |
 * | @IsLineText     | other short text (messages, values)   | no                  | refused | refused     | refused | —       |
 * | @IsReportText   | what the public reports (narrative…)  | no                  | allowed | tab/LF ok⁴  | removed | —       |
 *
 * ¹ C0 controls (U+0000–U+001F) and DEL; the embedded store refuses NUL and no field needs the others.
 * ² The bidi embedding, override and isolate controls U+202A–U+202E and U+2066–U+2069: they make a value
 *   read differently from what it is (`abc\u202Egnp.exe` shows as "abcexe.png"). A report is evidence and
 *   is never refused for them: they are removed from its text instead.
 * ³ Markup: `<` followed by a letter, `/`, `!` or `?` (a tag, comment or declaration). "<5" is not markup.
 * ⁴ Tab, CR and LF only when the field is multi-line.
 * Every refusal is BAD_USER_INPUT naming the field (the validation pipe).
 */

// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001F\u007F]/;
// eslint-disable-next-line no-control-regex
const CONTROLS_BUT_LINES = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;
const HTML_MARKUP = /<[A-Za-z/!?]/;

const str = (v: unknown): v is string => typeof v === 'string';

/** `v` without bidi controls (for report text: removed, not refused). */
export function withoutBidiControls(v: string): string {
  return v.replace(/[\u202A-\u202E\u2066-\u2069]/g, '');
}

/** A rule: refused when `bad(value)` holds. */
function refuse(name: string, message: string, bad: (v: string) => boolean, options?: ValidationOptions) {
  return ValidateBy(
    {
      name,
      validator: {
        validate: (v: unknown) => !str(v) || !bad(v),
        defaultMessage: (args) => `${args?.property ?? 'value'} ${message}`,
      },
    },
    options,
  );
}

export const NotBlank = (o?: ValidationOptions) =>
  refuse('notBlank', 'must not be empty or blank', (v) => !v.trim(), o);
export const NoControlChars = (multiline = false, o?: ValidationOptions) =>
  refuse(
    'noControlChars',
    'must not contain control characters',
    (v) => (multiline ? CONTROLS_BUT_LINES : CONTROLS).test(v),
    o,
  );
export const NoBidiControls = (o?: ValidationOptions) =>
  refuse('noBidiControls', 'must not contain bidirectional formatting characters', (v) => BIDI_CONTROLS.test(v), o);
export const NoMarkup = (o?: ValidationOptions) =>
  refuse('noMarkup', 'must not contain HTML markup', (v) => HTML_MARKUP.test(v), o);

const trim = Transform(({ value }: { value: unknown }) => (str(value) ? value.trim() : value));
const trimAndFold = Transform(({ value }: { value: unknown }) =>
  str(value) ? value.trim().replace(/\s+/g, ' ') : value,
);

/** An id or a filter code: exact, 1..max characters, no controls or bidi. */
export function IsIdText(max = 200): PropertyDecorator {
  return applyDecorators(IsString(), NotBlank(), MaxLength(max), NoControlChars(), NoBidiControls());
}

/** A name people read: trimmed, inner whitespace folded to one space, no controls, bidi or markup. */
export function IsNameText(max: number): PropertyDecorator {
  return applyDecorators(
    trimAndFold,
    IsString(),
    NotBlank(),
    MaxLength(max),
    NoControlChars(),
    NoBidiControls(),
    NoMarkup(),
  );
}

/** A reason kept in a log: trimmed, min..max characters, lines allowed, no other controls, bidi or markup. */
export function IsReasonText(max = 500, min = 1): PropertyDecorator {
  return applyDecorators(
    trim,
    IsString(),
    NotBlank(),
    MinLength(min),
    MaxLength(max),
    NoControlChars(true),
    NoBidiControls(),
    NoMarkup(),
  );
}

/** Other short text (a message, an identifier value): 1..max characters, not blank, no controls or bidi. */
export function IsLineText(max: number): PropertyDecorator {
  return applyDecorators(IsString(), NotBlank(), MaxLength(max), NoControlChars(), NoBidiControls());
}

/** Text a member of the public reports: bidi controls removed, controls refused (lines too unless multiline). */
export function IsReportText(max: number, multiline = false): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => (str(value) ? withoutBidiControls(value) : value)),
    IsString(),
    MaxLength(max),
    NoControlChars(multiline),
  );
}
