/**
 * The scenario editor: problems marked at line:column as you type, Run re-simulates the edited
 * scenario at the same step, completion from the schema, keyboard (Escape, Tab), drafts kept
 * while the page lives, and hostile text that never runs and never breaks the page.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test, watchErrors } from './support';

const EBUSY = readFileSync(
  join(import.meta.dirname, '..', 'src', 'scenario', 'library', 'teach-ebusy.yaml'),
  'utf8',
);
const EBUSY_STEPS = (EBUSY.split('\nsteps:\n')[1] ?? '').match(/^ {2}- /gm)?.length ?? 0;

const region = (page: Page) => page.getByRole('region', { name: /^Edit scenario/ });
const textbox = (page: Page) => page.getByRole('textbox', { name: 'Scenario text (YAML)' });
const status = (page: Page) => page.getByTestId('editor-status');
const counter = (page: Page) => page.getByTestId('step-counter');

async function openAt(page: Page, step: number): Promise<void> {
  await page.goto(`/?scenario=teach-ebusy&step=${step}`);
  await expect(counter(page)).toHaveText(`${step} / ${EBUSY_STEPS}`);
}

async function openEditor(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await expect(textbox(page)).toBeFocused();
  await expect(status(page)).toHaveText('No problems');
}

/**
 * Puts the cursor at the end of the first editor line containing `text`. CodeMirror draws only
 * the lines near its viewport, so the text is looked for from the top, a page at a time.
 */
async function endOfLine(page: Page, text: string): Promise<void> {
  const line = region(page).locator('.cm-line', { hasText: text });
  await textbox(page).focus();
  await page.keyboard.press('ControlOrMeta+Home');
  for (let i = 0; i < 40 && (await line.count()) === 0; i++) {
    await page.keyboard.press('PageDown');
  }
  await line.first().click();
  // End stops at each point where a long line wraps: press it until the line's end.
  for (let i = 0; i < 4; i++) await page.keyboard.press('End');
}

/** Closes the completion list that typing opened (Escape then goes to the list, not the panel). */
async function closeCompletion(page: Page): Promise<void> {
  await expect(page.getByRole('listbox')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('listbox')).toHaveCount(0);
}

/**
 * Accepts the selected completion with Enter. CodeMirror ignores Enter for a moment after the
 * list (re)appears (its `interactionDelay`, 75 ms), so that a newline typed just then stays one.
 */
async function acceptCompletion(page: Page, name: RegExp): Promise<void> {
  await expect(
    page.getByRole('listbox').getByRole('option', { selected: true }),
  ).toHaveAccessibleName(name);
  await page.waitForTimeout(150);
  await page.keyboard.press('Enter');
}

/** Selects all the text and pastes `text` over it (a paste event, as the clipboard gives it). */
async function replaceAll(page: Page, text: string): Promise<void> {
  await textbox(page).focus();
  // The editor takes the focus (and the caret the browser puts there) in its own time; a
  // select-all pressed before that lands is undone by it.
  await expect(region(page).locator('.cm-editor.cm-focused')).toHaveCount(1);
  await page.keyboard.press('ControlOrMeta+A');
  await textbox(page).evaluate((el, pasted) => {
    const data = new DataTransfer();
    data.setData('text/plain', pasted);
    el.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    );
  }, text);
}

test('an error is marked at its line:column, Run refuses it; fixed, Run keeps the step', async ({
  page,
}) => {
  const { errors } = watchErrors(page);
  await openAt(page, 3);
  const narration = page.getByTestId('narration');
  await expect(narration).toContainText('The same map again');
  await openEditor(page);
  await expect(region(page)).toBeVisible();
  await expect(page.getByTestId('graph')).toBeInViewport();

  const line = EBUSY.split('\n').indexOf('  - op: assoc') + 1;
  expect(line).toBeGreaterThan(1);
  await endOfLine(page, '- op: assoc');
  for (let i = 0; i < 'assoc'.length; i++) await page.keyboard.press('Backspace');
  await page.keyboard.type('asoc');
  await closeCompletion(page);
  await expect(region(page)).toBeVisible();

  await expect(status(page)).toHaveText('1 problem');
  await expect(region(page).locator('.cm-lintRange-error')).toHaveText('asoc');
  await expect(region(page).locator('.cm-lint-marker-error')).toHaveCount(1);
  const problem = region(page).getByRole('button', {
    name: new RegExp(`^${line}:9 unknown op 'asoc'`),
  });
  await expect(problem).toBeVisible();

  await region(page).getByRole('button', { name: 'Run', exact: true }).click();
  await expect(region(page).getByRole('alert')).toContainText(
    `Not run: the text has 1 problem. The first, at ${line}:9: unknown op 'asoc'`,
  );
  await expect(counter(page)).toHaveText(`3 / ${EBUSY_STEPS}`);
  await expect(narration).toContainText('The same map again');

  // The problem's button puts the cursor on it.
  await problem.click();
  await expect(textbox(page)).toBeFocused();
  await page.keyboard.press('End');
  for (let i = 0; i < 'asoc'.length; i++) await page.keyboard.press('Backspace');
  await page.keyboard.type('assoc');
  await closeCompletion(page);
  await expect(status(page)).toHaveText('No problems');
  await expect(region(page).locator('.cm-lintRange-error')).toHaveCount(0);

  // Something visible: the narration of step 3.
  await endOfLine(page, 'The same map again: the kernel sees');
  await page.keyboard.type(' (edited here)');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(region(page).getByTestId('editor-outcome')).toHaveText(
    `Ran the edited scenario: step 3 of ${EBUSY_STEPS}.`,
  );
  await expect(narration).toContainText('(edited here)');
  await expect(counter(page)).toHaveText(`3 / ${EBUSY_STEPS}`);
  // The keyboard stays where it was: in the text.
  await expect(textbox(page)).toBeFocused();
  await expect(page.getByTestId('scenario-picker').locator('option:checked')).toHaveText(
    'Edited: Set once: EBUSY',
  );
  await expect(page.locator('.external-summary')).toContainText('Set once: EBUSY');
  // The editor stays open on the edited text.
  await expect(textbox(page)).toContainText('(edited here)');
  expect(errors).toEqual([]);
});

test('a pasted scenario with other names and fewer steps: the graph follows, the last step is kept, Share is inline', async ({
  page,
}) => {
  const { errors } = watchErrors(page);
  await openAt(page, EBUSY_STEPS);
  await expect(page.getByTestId('node.prog.helper')).toBeVisible();
  await openEditor(page);
  const [head = '', steps = ''] = EBUSY.split('\nsteps:\n');
  const starts = [...steps.matchAll(/^ {2}- /gm)].map((m) => m.index);
  const four = `${head}\nsteps:\n${steps.slice(0, starts[4])}`.replaceAll('helper', 'aide');
  await replaceAll(page, four);
  await expect(status(page)).toHaveText('No problems');
  await region(page).getByRole('button', { name: 'Run', exact: true }).click();
  await expect(counter(page)).toHaveText('4 / 4');
  await expect(page.getByTestId('node.prog.aide')).toBeVisible();
  await expect(page.getByTestId('node.prog.helper')).toHaveCount(0);

  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const link = page.getByRole('textbox', { name: 'Link' });
  await expect(link).toHaveValue(/[?&]s=1\./);
  await expect(link).not.toHaveValue(/scenario=teach-ebusy/);
  expect(errors).toEqual([]);
});

test('completion offers the keys and values the schema allows at the cursor', async ({ page }) => {
  const { errors } = watchErrors(page);
  await openAt(page, 1);
  await openEditor(page);

  // A value: the ops, each with its description.
  await endOfLine(page, '- op: assoc');
  for (let i = 0; i < 'assoc'.length; i++) await page.keyboard.press('Backspace');
  await page.keyboard.press('Control+Space');
  const list = page.getByRole('listbox');
  await expect(list.getByRole('option', { name: /^bpf_prog_assoc_struct_ops/ })).toBeVisible();
  await expect(list.getByRole('option', { name: /^settle/ })).toBeVisible();
  await page.keyboard.type('asso');
  await expect(list.getByRole('option').first()).toHaveAccessibleName(/^assoc/);
  await expect(page.locator('.cm-completionInfo')).toContainText('BPF_PROG_ASSOC_STRUCT_OPS');
  await acceptCompletion(page, /^assoc/);
  await expect(region(page).locator('.cm-activeLine')).toHaveText('  - op: assoc');

  // A key: what an assoc step may still have.
  await endOfLine(page, 'map: map_a');
  await page.keyboard.press('Enter');
  await page.keyboard.type('fl');
  await expect(list.getByRole('option', { name: /^flags/ })).toBeVisible();
  await expect(list.getByRole('option', { name: /^object/ })).toHaveCount(0);
  await acceptCompletion(page, /^flags/);
  await expect(region(page).locator('.cm-activeLine')).toHaveText('    flags: ');
  await page.keyboard.type('0');
  await expect(status(page)).toHaveText('No problems');
  expect(errors).toEqual([]);
});

test('keyboard: Tab leaves the editor, Escape closes it and focus returns; edits survive; Revert', async ({
  page,
}) => {
  const { errors } = watchErrors(page);
  await openAt(page, 2);
  const edit = page.getByRole('button', { name: 'Edit', exact: true });
  await expect(edit).toHaveAttribute('aria-expanded', 'false');
  await openEditor(page);
  await expect(edit).toHaveAttribute('aria-expanded', 'true');
  await endOfLine(page, '# Teaching scenario');
  await page.keyboard.type(' DRAFT');

  // Tab is not trapped: it moves the focus on and types nothing.
  await page.keyboard.press('Tab');
  await expect(textbox(page)).not.toBeFocused();
  expect(await textbox(page).evaluate((el) => el.textContent ?? '')).not.toContain('\t');
  await expect(textbox(page)).toContainText('lifetime. DRAFT');

  // Escape closes an open completion list first, then the panel.
  await endOfLine(page, '- op: assoc');
  await page.keyboard.press('Control+Space');
  await expect(page.getByRole('listbox')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('listbox')).toHaveCount(0);
  await expect(region(page)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(region(page)).toHaveCount(0);
  await expect(edit).toBeFocused();
  await expect(edit).toHaveAttribute('aria-expanded', 'false');

  // Reopened: the draft is there. Close (the button) returns the focus too.
  await edit.click();
  await expect(textbox(page)).toContainText('DRAFT');
  await region(page).getByRole('button', { name: 'Close', exact: true }).click();
  await expect(edit).toBeFocused();
  await edit.click();
  await expect(textbox(page)).toContainText('DRAFT');
  await region(page).getByRole('button', { name: 'Revert', exact: true }).click();
  await expect(textbox(page)).not.toContainText('DRAFT');
  await expect(region(page).getByTestId('editor-outcome')).toContainText(
    'Back to the original text',
  );
  // Nothing ran: the library scenario is still the one shown.
  await expect(page.getByTestId('scenario-picker')).toHaveValue('teach-ebusy');
  await expect(counter(page)).toHaveText(`2 / ${EBUSY_STEPS}`);
  expect(errors).toEqual([]);
});

test('the editor follows the scenario picked meanwhile, the focus stays on the picker, drafts are kept', async ({
  page,
}) => {
  const { errors } = watchErrors(page);
  await openAt(page, 1);
  await openEditor(page);
  await endOfLine(page, '# Teaching scenario');
  await page.keyboard.type(' MINE');
  const picker = page.getByTestId('scenario-picker');
  await picker.focus();
  await page.keyboard.press('ArrowDown');
  await expect(picker).toHaveValue('teach-failed-update');
  await expect(region(page).getByRole('heading')).toContainText('teach-failed-update.yaml');
  await expect(textbox(page)).toContainText('id: teach-failed-update');
  await expect(picker).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(picker).toHaveValue('teach-ebusy');
  await expect(textbox(page)).toContainText('lifetime. MINE');
  await expect(picker).toBeFocused();
  expect(errors).toEqual([]);
});

test('hostile text is refused with problems, shown as text, and never breaks the page', async ({
  page,
}) => {
  const { errors } = watchErrors(page);
  await openAt(page, 2);
  await openEditor(page);
  const laughs = [
    'a: &a [x, x, x, x, x, x, x, x, x]',
    ...'bcdefgh'.split('').map((k, i) => {
      const prev = 'abcdefgh'[i] ?? 'a';
      return `${k}: &${k} [${Array(9).fill(`*${prev}`).join(', ')}]`;
    }),
  ].join('\n');
  const inputs: [string, RegExp][] = [
    [`__proto__:\n  polluted: 1\n${EBUSY}`, /'__proto__' cannot be used/],
    [`${laughs}\n`, /aliases expand the scenario past 100,000 nodes/],
    ['\u0000\u0001\u0002\u0007\ufffd \u001b[31m: ]]]{{{', /Unexpected flow-seq-end/],
    ['x: 1\n'.repeat(60_000), /too large/],
    [`${'['.repeat(3000)}`, /nests too deeply here: more than 64 levels/],
    ['<img src=x onerror="document.title=1">: 1\n<b>bold</b>: 2\n', /unknown key '<b>bold<\/b>'/],
    ['- 1\n- 2\n', /expected object, got a list/],
  ];
  for (const [text, problem] of inputs) {
    // After a 300 KB text the editor can still be settling its caret when the next select-all
    // comes; the replacement is then tried again (the expectation on its problems is the same).
    await expect(async () => {
      await replaceAll(page, text);
      await expect(status(page)).toHaveText(/^\d+ problems?$/);
      await expect(region(page).locator('.editor-problems')).toContainText(problem, {
        timeout: 3000,
      });
    }).toPass({ timeout: 20_000 });
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect(region(page).getByRole('alert')).toContainText('Not run');
  }
  // Nothing was rendered as HTML, and the page still shows the scenario it had.
  await expect(region(page).locator('img, b')).toHaveCount(0);
  expect(await page.title()).not.toBe('1');
  await expect(page.getByTestId('scenario-picker')).toHaveValue('teach-ebusy');
  await expect(counter(page)).toHaveText(`2 / ${EBUSY_STEPS}`);
  await page.getByRole('button', { name: 'Next step' }).click();
  await expect(counter(page)).toHaveText(`3 / ${EBUSY_STEPS}`);
  expect(errors).toEqual([]);
});

test('a scenario file that was refused opens in the editor, and runs once fixed', async ({
  page,
}) => {
  const { errors } = watchErrors(page);
  const broken = EBUSY.replace('  - op: assoc\n', '  - op: asoc\n');
  await page.route('**/broken-scenario.yaml', (route) =>
    route.fulfill({ status: 200, contentType: 'text/yaml', body: broken }),
  );
  await page.goto('/?src=broken-scenario.yaml');
  await expect(page.getByTestId('scenario-errors')).toContainText("unknown op 'asoc'");
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await expect(status(page)).toHaveText('1 problem');
  await expect(region(page).getByRole('heading')).toContainText('broken-scenario.yaml');
  await region(page)
    .getByRole('button', { name: /unknown op 'asoc'/ })
    .click();
  // The cursor is on the problem, at the start of 'asoc'.
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.type('s');
  await closeCompletion(page);
  await expect(status(page)).toHaveText('No problems');
  await region(page).getByRole('button', { name: 'Run', exact: true }).click();
  await expect(counter(page)).toHaveText(`0 / ${EBUSY_STEPS}`);
  await expect(page.getByTestId('scenario-errors')).toHaveCount(0);
  await expect(page.getByTestId('scenario-picker').locator('option:checked')).toHaveText(
    'Edited: Set once: EBUSY',
  );
  expect(errors).toEqual([]);
});
