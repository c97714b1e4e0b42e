import { CONVERSATION_KIND_LABELS } from '../../domain/conversations.js';
import { gasLevelWithLabel } from '../../domain/gas.js';
import { ratingLabel, VIEWPOINT_LABELS } from '../../domain/ratings.js';
import type { TimelineEvent, TimelineMonth } from '../../domain/timeline.js';
import { communityTitle } from '../community-referrals/view.js';
import type { PersonRecord, RecordEvent } from './person-record-service.js';

/**
 * The record's timeline as a reader sees it: each event with its title in words and a link to
 * where it can be read in full. Built here, in the web layer, for the timeline page and for the
 * JSON answer of `GET /api/people/{id}` (whose events have always carried a title and link).
 */
export function describeTimeline(record: PersonRecord): TimelineMonth<TimelineEvent>[] {
  const base = `/people/${record.person.personId}`;
  const outcomes = new Map(record.outcomes.map((o) => [o.outcomeId, o]));
  const describe = (event: RecordEvent): Pick<TimelineEvent, 'title' | 'by' | 'link'> => {
    switch (event.kind) {
      case 'conversation':
        return {
          title: CONVERSATION_KIND_LABELS[event.conversationKind] ?? 'Conversation',
          by: event.by,
          link: `${base}#conversation-${event.conversationId}`,
        };
      case 'plan-version':
        return {
          title:
            event.version === 1
              ? 'Care and support plan agreed (version 1)'
              : `Plan updated (version ${event.version})`,
          by: event.by,
          link: `${base}/plan/versions/${event.version}`,
        };
      case 'plan-comment':
        return {
          title: `Comment on the plan (version ${event.version})`,
          by: event.by,
          link: `${base}/plan`,
        };
      case 'community-referral':
      case 'community-referral-answer':
      case 'community-attendance':
        return {
          title: communityTitle(event),
          by: event.by,
          link: `${base}/plan#referral-${event.referralId}`,
        };
    }
    const outcome = outcomes.get(event.outcomeId);
    const statement = outcome?.statement ?? '';
    const link = `${base}#outcome-${event.outcomeId}`;
    switch (event.kind) {
      case 'outcome-added':
        return { title: `What matters added: “${statement}”`, by: VIEWPOINT_LABELS[event.addedBy], link };
      case 'rating': {
        const label = ratingLabel(event.score, outcome?.framework.ratingLabels ?? []);
        return {
          title: `${VIEWPOINT_LABELS[event.viewpoint]} rated “${statement}”: ${label}`,
          by: event.by,
          link,
        };
      }
      case 'gas-attainment':
        return {
          title: `Goal attainment for “${statement}”: ${gasLevelWithLabel(event.level)}`,
          by: null,
          link,
        };
      case 'self-management-step':
        return {
          title: `Step done towards “${statement}”: “${event.words}”`,
          by: event.by,
          link: `${base}#step-${event.stepId}`,
        };
    }
  };
  return record.timeline.map(({ month, events }) => ({
    month,
    events: events.map((event) => ({
      at: event.at,
      kind: event.kind,
      detail: event.detail,
      ...describe(event),
    })),
  }));
}
