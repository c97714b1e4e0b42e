/**
 * Names as they are searched: lower case, with the accents and marks of Latin letters taken off,
 * so "nunez" finds "Ñúñez" and "zoe" finds "Zoë". The same fold runs in two places that must agree:
 * here, on what is typed, and in the database, where `person.search_name` is generated with
 * PostgreSQL's translate() from these two strings (migration 0013). Changing them needs a migration
 * that generates the column again.
 */

/** Lower-case Latin letters with accents or marks (Latin-1 Supplement, Extended-A and -B)… */
export const SEARCH_FOLD_FROM =
  'àáâãäåçèéêëìíîïñòóôõöùúûüýÿāăąćĉċčďēĕėęěĝğġģĥĩīĭįĵķĺļľńņňōŏőŕŗřśŝşšţťũūŭůűųŵŷźżžơưǎǐǒǔǖǘǚǜǟǡǧǩǫǭǰǵǹǻȁȃȅȇȉȋȍȏȑȓȕȗșțȟȧȩȫȭȯȱȳłđħŧøı';
/** …and the plain letter each becomes, position for position. */
export const SEARCH_FOLD_TO =
  'aaaaaaceeeeiiiinooooouuuuyyaaaccccdeeeeegggghiiiijklllnnnooorrrssssttuuuuuuwyzzzouaiouuuuuaagkoojgnaaaeeiioorruusthaeooooyldhtoi';

const FOLD = new Map([...SEARCH_FOLD_FROM].map((c, i) => [c, SEARCH_FOLD_TO[i] as string]));

/** Text as a name search compares it: lower case, without accents, as the database folds names. */
export function foldForSearch(text: string): string {
  let folded = '';
  for (const c of text.toLowerCase()) folded += FOLD.get(c) ?? c;
  return folded;
}
