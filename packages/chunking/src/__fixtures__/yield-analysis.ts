// A publisher's yield/revenue analysis comparing two periods, with the analyst's reasoning.
const unit = (options: {
  name: string;
  revenue1: number;
  revenue2: number;
  impressions1: number;
  impressions2: number;
  reasoning: string;
}) => ({
  ad_unit: options.name,
  period1: {
    revenue_usd: options.revenue1,
    impressions: options.impressions1,
    ecpm_usd: Math.round((options.revenue1 / options.impressions1) * 1000 * 100) / 100,
    fill_rate: 0.87,
  },
  period2: {
    revenue_usd: options.revenue2,
    impressions: options.impressions2,
    ecpm_usd: Math.round((options.revenue2 / options.impressions2) * 1000 * 100) / 100,
    fill_rate: 0.91,
  },
  revenue_change_pct: Math.round(((options.revenue2 - options.revenue1) / options.revenue1) * 1000) / 10,
  revenue_change_reasoning: options.reasoning,
});

export const yieldAnalysis = {
  report_id: 'yield-2024-q1-vs-q4',
  publisher: 'Nordic News Network',
  period1: { label: 'Q4 2023', start: '2023-10-01', end: '2023-12-31' },
  period2: { label: 'Q1 2024', start: '2024-01-01', end: '2024-03-31' },
  summary: {
    period1: { revenue_usd: 412_500, impressions: 98_400_000, ecpm_usd: 4.19, fill_rate: 0.86 },
    period2: { revenue_usd: 371_900, impressions: 104_100_000, ecpm_usd: 3.57, fill_rate: 0.9 },
    revenue_change_pct: -9.8,
    revenue_change_reasoning:
      'Revenue fell although impressions grew, because Q4 carries holiday demand that lifts eCPM; Q1 advertisers return with smaller budgets, so the lower eCPM outweighed the higher fill rate.',
    ecpm_change_reasoning:
      'The eCPM drop is seasonal rather than structural: header bidding partners bid less in January, and the share of direct deals fell from 34% to 27% of revenue.',
  },
  ad_units: [
    unit({
      name: 'homepage_top_banner',
      revenue1: 121_000,
      revenue2: 98_300,
      impressions1: 21_000_000,
      impressions2: 22_400_000,
      reasoning:
        'Lost two direct holiday sponsorships on the homepage takeover; programmatic demand only partly filled the gap.',
    }),
    unit({
      name: 'article_inline_1',
      revenue1: 88_400,
      revenue2: 91_200,
      impressions1: 30_100_000,
      impressions2: 33_900_000,
      reasoning: 'More article page views from the election coverage offset the lower seasonal eCPM.',
    }),
    unit({
      name: 'article_sidebar',
      revenue1: 40_100,
      revenue2: 29_800,
      impressions1: 18_200_000,
      impressions2: 17_900_000,
      reasoning: 'Viewability fell after the redesign pushed the sidebar below the fold on laptops.',
    }),
    unit({
      name: 'video_preroll',
      revenue1: 98_700,
      revenue2: 101_900,
      impressions1: 6_100_000,
      impressions2: 6_600_000,
      reasoning:
        'Video demand is less seasonal; a new sports highlights series added inventory at a stable eCPM.',
    }),
    unit({
      name: 'mobile_sticky',
      revenue1: 64_300,
      revenue2: 50_700,
      impressions1: 23_000_000,
      impressions2: 23_300_000,
      reasoning: 'A browser update limited sticky ad refresh, cutting impressions per session on mobile.',
    }),
  ],
  recommendations: [
    'Renegotiate homepage takeover packages for Q2 with two anchor advertisers.',
    'Move the sidebar unit back above the fold on 13-inch laptop viewports.',
    'Test a 30-second refresh on the mobile sticky unit that complies with the new browser policy.',
  ],
  analyst: { name: 'Ingrid Solberg', team: 'Revenue Operations' },
};
