// Reads a contract's CHANGELOG.md (Keep a Changelog: `## [1.2.0] - 2026-01-31`, `### Added`, `- item`) and
// decides whether a version bump announces the breaking changes the differ found. Kept apart from the git
// and bundling work in breaking.mjs so the rule can be read (and tested) on its own.

/**
 * @typedef {{ version: string, date: string | null, sections: Record<string, string[]> }} ChangelogEntry
 */

/** Released entries, newest first as written; `## [Unreleased]` is left out.
 * @param {string} text
 * @returns {ChangelogEntry[]} */
export function parseChangelog(text) {
  const entries = [];
  let entry = null;
  let section = null;
  for (const line of text.split(/\r?\n/)) {
    const heading = line.match(/^##\s+\[([^\]]+)\](?:\s*-\s*(\S+))?/);
    if (heading) {
      entry = /^unreleased$/i.test(heading[1].trim())
        ? null
        : { version: heading[1].trim(), date: heading[2] ?? null, sections: {} };
      if (entry) entries.push(entry);
      section = null;
      continue;
    }
    if (/^##\s/.test(line)) {
      entry = null;
      continue;
    }
    if (!entry) continue;
    const subheading = line.match(/^###\s+(.+?)\s*$/);
    if (subheading) {
      section = subheading[1];
      entry.sections[section] ??= [];
      continue;
    }
    const item = line.match(/^\s*[-*]\s+(.+)$/);
    if (item && section) entry.sections[section].push(item[1]);
  }
  return entries;
}

/** @param {string} version @returns {{ major: number, minor: number, patch: number } | null} */
export function parseVersion(version) {
  const match = String(version ?? '').match(/^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/);
  return match ? { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) } : null;
}

/** Items of the entry's breaking section: any `###` heading with "breaking" in it (`### Breaking`,
 * `### BREAKING CHANGES`). */
export function breakingItems(entry) {
  return Object.entries(entry?.sections ?? {})
    .filter(([title]) => /breaking/i.test(title))
    .flatMap(([, items]) => items);
}

/**
 * The announcement rule. Returns the reasons a contract fails (empty when it passes):
 * - always: CHANGELOG.md exists and its newest released entry is info.version;
 * - with breaking changes against the base: the major version went up AND the entry for the new version has
 *   a `### Breaking` section with at least one item.
 * @param {{ headVersion: string, baseVersion?: string | null, changelog: string | null, breakingCount: number,
 *   changelogPath: string }} input
 * @returns {string[]}
 */
export function announcementProblems({ headVersion, baseVersion, changelog, breakingCount, changelogPath }) {
  const problems = [];
  const entries = changelog === null ? null : parseChangelog(changelog);
  if (entries === null) {
    problems.push(`${changelogPath} is missing`);
  } else if (entries.length === 0) {
    problems.push(`${changelogPath} has no released entry ("## [x.y.z] - YYYY-MM-DD")`);
  } else if (entries[0].version !== headVersion) {
    problems.push(
      `info.version is ${headVersion} but the newest entry of ${changelogPath} is ${entries[0].version}: they must match`,
    );
  }
  if (breakingCount === 0) return problems;

  const head = parseVersion(headVersion);
  const base = parseVersion(baseVersion);
  if (!head || !base) {
    problems.push(`cannot compare versions "${baseVersion}" → "${headVersion}" (expected MAJOR.MINOR.PATCH)`);
  } else if (head.major <= base.major) {
    // The entry for an unbumped version is the old release's: asking for a Breaking section there would
    // only confuse. The bump comes first.
    problems.push(
      `${breakingCount} breaking change(s), but info.version's major was not bumped (${baseVersion} → ${headVersion}; needs ${base.major + 1}.0.0 or later)`,
    );
    return problems;
  }
  const entry = entries?.find((candidate) => candidate.version === headVersion);
  if (entries && !entry) {
    problems.push(`${changelogPath} has no entry for ${headVersion} announcing the breaking change(s)`);
  } else if (entry && breakingItems(entry).length === 0) {
    problems.push(`the ${headVersion} entry of ${changelogPath} has no "### Breaking" section listing the change(s)`);
  }
  return problems;
}
