import type { ResponseTimeGroup, ResponseTimeGrouping } from './response-time-query.ts';

/** What a reader needs beside a group's key to know what the row is about, without a second call. */
export interface GroupLabels {
  businessId?: string;
  businessName?: string;
  /** The week (Monday) or month start, YYYY-MM-DD (UTC). */
  period?: string;
  /** The connector's display name, e.g. "Google (Places API)", when grouped by source. */
  sourceName?: string;
}

export type LabelledGroup = ResponseTimeGroup & GroupLabels;

/** Which labels each grouping's rows carry, in CSV column order. */
export const LABEL_COLUMNS: Readonly<Record<ResponseTimeGrouping, ReadonlyArray<keyof GroupLabels>>> = {
  business: ['businessId', 'businessName'],
  source: ['sourceName'],
  week: ['period'],
  month: ['period'],
  responder: [],
  'business,week': ['businessId', 'businessName', 'period'],
  'business,month': ['businessId', 'businessName', 'period'],
};

export interface LabelNames {
  business(id: string): string | undefined;
  source(type: string): string | undefined;
}

/** Adds names to the report's groups; the figures and the order are left as they are. */
export function labelGroups(groups: readonly ResponseTimeGroup[], groupBy: ResponseTimeGrouping, names: LabelNames): LabelledGroup[] {
  return groups.map((group) => {
    const key = group.key ?? '';
    switch (groupBy) {
      case 'business':
        return { ...group, businessId: key, businessName: names.business(key) ?? '' };
      case 'source':
        return { ...group, sourceName: names.source(key) ?? key };
      case 'week':
      case 'month':
        return { ...group, period: key };
      case 'responder':
        return { ...group };
      case 'business,week':
      case 'business,month': {
        const [businessId = '', period = ''] = key.split('/');
        return { ...group, businessId, businessName: names.business(businessId) ?? '', period };
      }
    }
  });
}
