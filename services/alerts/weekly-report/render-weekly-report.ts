import type { BusinessDeliveryRenderer } from '../business-deliveries.ts';
import { readWeeklyReport } from './weekly-report-figures.ts';
import { renderWeeklyReport } from './weekly-report-content.ts';

/** The delivery kind of the weekly report; its incident is the period key (`weekly:2026-03-30`). */
export const WEEKLY_REPORT = 'weekly_report';

/**
 * Renders a weekly report delivery when it is sent: the figures are read then, so a retry
 * after an outage reports the week as it stands, answers given since included. Open items'
 * ages are measured to when the report was written (the delivery's creation).
 */
export const renderWeeklyReportDelivery: BusinessDeliveryRenderer = async (db, delivery, publicUrl) => {
  const content = await readWeeklyReport(db, { accountId: delivery.accountId, businessId: delivery.businessId, periodKey: delivery.incident }, publicUrl, delivery.createdAt);
  // Unreachable but for a race: deleting the business deletes its deliveries with it.
  if (content === undefined) throw new Error(`the business of weekly report ${delivery.id} no longer exists`);
  return renderWeeklyReport(content);
};
