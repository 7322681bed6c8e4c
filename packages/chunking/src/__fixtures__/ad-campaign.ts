// An advertising campaign as an ad server exports it: nested targeting, creatives, bidding, a
// daily performance breakdown and free-text notes.
const days = Array.from({ length: 28 }, (_, day) => {
  const impressions = 40_000 + ((day * 7919) % 9_000);
  const clicks = Math.round(impressions * (0.021 + (day % 5) * 0.002));
  return {
    date: `2024-03-${String(day + 1).padStart(2, '0')}`,
    impressions,
    clicks,
    ctr: Math.round((clicks / impressions) * 10_000) / 10_000,
    spend_nok: Math.round(clicks * 4.2 * 100) / 100,
    conversions: Math.round(clicks * 0.031),
  };
});

export const adCampaign = {
  campaign_id: 'cmp-2024-spring-no',
  name: 'Spring Outdoor Sale — Norway',
  advertiser: { id: 'adv-118', name: 'Fjellsport AS', industry: 'outdoor retail' },
  status: 'active',
  objective: 'conversions',
  schedule: {
    start: '2024-03-01',
    end: '2024-03-28',
    timezone: 'Europe/Oslo',
    dayparting: ['06-09', '17-23'],
  },
  budget: { total_nok: 250_000, daily_cap_nok: 9_500, pacing: 'even', currency: 'NOK' },
  targeting: {
    geographic: {
      countries: ['Norway'],
      regions: ['Oslo', 'Viken', 'Vestland', 'Trøndelag'],
      cities: ['Oslo', 'Bergen', 'Trondheim', 'Stavanger', 'Drammen'],
      radius_km: 40,
      exclude_postcodes: ['9170', '9171'],
    },
    demographics: {
      age_range: { min: 24, max: 54 },
      genders: ['female', 'male'],
      household_income: 'upper_middle',
      languages: ['nb', 'nn', 'en'],
    },
    interests: ['hiking', 'skiing', 'camping', 'trail running', 'sustainable fashion'],
    devices: { types: ['mobile', 'tablet'], operating_systems: ['iOS', 'Android'], connection: 'any' },
    audiences: {
      retargeting: { enabled: true, lookback_days: 30, segments: ['cart_abandoners', 'product_viewers'] },
      lookalike: { enabled: true, seed: 'purchasers_2023', similarity: 0.85 },
    },
  },
  bidding: {
    strategy: 'target_cpa',
    target_cpa_nok: 180,
    max_cpc_nok: 9.5,
    bid_adjustments: { mobile: 1.2, tablet: 0.9 },
  },
  creatives: [
    {
      id: 'cr-101',
      format: 'banner',
      size: '300x250',
      headline: 'Spring into the mountains',
      body: 'Up to 40% off hiking boots and shells. Free delivery across Norway.',
      cta: 'Shop now',
      landing_url: 'https://fjellsport.example/spring',
    },
    {
      id: 'cr-102',
      format: 'video',
      duration_s: 15,
      headline: 'New season, new trails',
      body: 'Our spring collection is built for wet Norwegian trails.',
      cta: 'Discover',
      landing_url: 'https://fjellsport.example/new',
    },
    {
      id: 'cr-103',
      format: 'native',
      headline: 'What to pack for a spring hike',
      body: 'A checklist from our guides, with the gear that keeps you dry.',
      cta: 'Read more',
      landing_url: 'https://fjellsport.example/guide',
    },
  ],
  performance: {
    totals: {
      impressions: 1_254_300,
      clicks: 31_820,
      ctr: 0.0254,
      spend_nok: 133_644,
      conversions: 987,
      cpa_nok: 135.4,
    },
    ctr_reasoning:
      'CTR is above the retail benchmark of 1.9% because the native creative matched search intent for spring hiking and mobile users in Oslo responded strongly in the evening daypart.',
    daily: days,
  },
  notes:
    'Mobile evening traffic converts best. Consider shifting 15% of the tablet budget to mobile after week two and testing a second native creative about trail running.',
};
