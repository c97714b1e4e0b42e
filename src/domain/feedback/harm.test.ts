import { describe, expect, it } from 'vitest';
import { detectHarm } from './harm.js';

const kinds = (text: string) => detectHarm(text).map((f) => f.kind);

describe('detectHarm', () => {
  it.each([
    ['he hit me', 'abuse'],
    ['The carer slapped my mum when she would not eat.', 'abuse'],
    ['She pushed him against the wall', 'abuse'],
    ['I think dad is being financially abused', 'abuse'],
    ['Mum was left without food for days', 'neglect'],
    ['My father went two days without water', 'neglect'],
    ['She was left lying in soiled sheets all night', 'neglect'],
    ['He has not been fed since Monday', 'neglect'],
    ['I want to end it all', 'self-harm'],
    ['Some days I think about killing myself', 'self-harm'],
    ['I don’t want to live any more', 'self-harm'],
    ['I have been cutting myself again', 'self-harm'],
    ['the ward door was left unlocked and she wandered out', 'danger'],
    ['He fell in the corridor and nobody came for an hour', 'danger'],
    ['They gave her the wrong medication twice', 'danger'],
    ['I do not feel safe on the ward at night', 'danger'],
  ])('flags %j as %s', (text, kind) => {
    expect(kinds(text)).toContain(kind);
  });

  it.each([
    'The wait was far too long and the car park is expensive.',
    'The food was cold and the portions were small.',
    'Staff were rude at reception and nobody explained the delay.',
    'I hit the call bell and someone came quickly.',
    'The appointments system is hit and miss.',
    'The nurse listened to me and explained everything.',
    'The doors were open early so we could wait inside.',
    'I had to wait without any information for two hours.',
    'It was the end of a long day and everyone was tired.',
    'The physio pushed me to do my exercises, which helped a lot.',
    'My husband took me to the appointment.',
    '',
  ])('does not flag the ordinary %j', (text) => {
    expect(kinds(text)).toEqual([]);
  });

  it('names the words that showed each kind once', () => {
    expect(detectHarm('He hit me. She hit me too. I want to end it all.')).toEqual([
      { kind: 'abuse', words: 'He hit me' },
      { kind: 'self-harm', words: 'end it all' },
    ]);
  });
});
