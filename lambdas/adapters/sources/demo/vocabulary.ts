/**
 * Words the demo universe is written with: sectors and industries with the economics that make
 * their numbers plausible, name syllables, fictional brokers and wires, risk factors. Every
 * company, person, broker and wire here is invented; US city names are only used as headquarters.
 */
import type { GicsSector } from '../../../core/model';

export interface IndustryProfile {
  name: string;
  /** Words that end a company name in this industry ("Bancorp", "Therapeutics"). */
  nameWords?: readonly string[];
  /** A bank: interest income and expense, no cost of revenue or gross profit. */
  bank?: boolean;
  /** No cost-of-revenue line (insurers, asset managers, exchanges). */
  noGrossProfit?: boolean;
  /** What the company sells, for prose ("specialty resins and coatings"). */
  offerings: readonly string[];
}

export interface SectorProfile {
  sector: GicsSector;
  /** Relative share of the universe. */
  weight: number;
  industries: readonly IndustryProfile[];
  nameWords: readonly string[];
  grossMargin: readonly [number, number];
  operatingMargin: readonly [number, number];
  priceToSales: readonly [number, number];
  assetsToRevenue: readonly [number, number];
  liabilitiesToAssets: readonly [number, number];
  growth: readonly [number, number];
  /** Share of companies paying a dividend and the yield range they pay. */
  payerShare: number;
  dividendYield: readonly [number, number];
  /** Share of companies losing money (before planted negative earnings). */
  lossShare: number;
  segments: readonly string[];
  customers: readonly string[];
  risks: readonly RiskFactor[];
}

export interface RiskFactor {
  /** A title line: no digits, no final period (the brief-input reads these as risk headings). */
  title: string;
  sentences: readonly string[];
}

const commodityRisk: RiskFactor = {
  title: 'Volatile commodity prices could reduce our revenue and cash flow',
  sentences: [
    'Prices for the commodities we produce and consume move with global supply, demand and geopolitical events that we cannot control.',
    'A sustained decline in realized prices would reduce revenue, operating cash flow and the carrying value of our assets.',
    'Hedging programs cover only part of our exposure and may limit the benefit of rising prices.',
  ],
};

const SECTORS_DATA: readonly SectorProfile[] = [
  {
    sector: 'Information Technology',
    weight: 14,
    industries: [
      {
        name: 'Application Software',
        offerings: ['workflow and analytics software', 'subscription software for finance teams', 'collaboration software'],
      },
      {
        name: 'Systems Software',
        offerings: ['infrastructure and security software', 'database and observability tools', 'identity management software'],
      },
      {
        name: 'Semiconductors',
        nameWords: ['Semiconductor', 'Microsystems', 'Silicon'],
        offerings: ['analog and mixed-signal chips', 'power semiconductors', 'networking processors'],
      },
      {
        name: 'Semiconductor Materials & Equipment',
        nameWords: ['Instruments', 'Process Technologies'],
        offerings: ['wafer inspection systems', 'deposition equipment and spare parts'],
      },
      {
        name: 'IT Consulting & Other Services',
        nameWords: ['Consulting', 'Digital'],
        offerings: ['cloud migration and managed IT services', 'systems integration services'],
      },
      {
        name: 'Communications Equipment',
        nameWords: ['Networks', 'Communications'],
        offerings: ['optical transport equipment', 'enterprise wireless access points'],
      },
      {
        name: 'Technology Hardware, Storage & Peripherals',
        nameWords: ['Devices', 'Storage'],
        offerings: ['enterprise storage arrays', 'rugged computing devices'],
      },
      {
        name: 'Electronic Components',
        nameWords: ['Electronics', 'Components'],
        offerings: ['connectors, sensors and passive components', 'precision timing components'],
      },
      {
        name: 'Electronic Equipment & Instruments',
        nameWords: ['Instruments'],
        offerings: ['test and measurement instruments', 'machine-vision systems'],
      },
    ],
    nameWords: ['Systems', 'Technologies', 'Software', 'Data', 'Labs'],
    grossMargin: [0.45, 0.8],
    operatingMargin: [0.04, 0.32],
    priceToSales: [2.5, 10],
    assetsToRevenue: [1.2, 2.4],
    liabilitiesToAssets: [0.35, 0.6],
    growth: [-0.03, 0.24],
    payerShare: 0.35,
    dividendYield: [0.006, 0.02],
    lossShare: 0.12,
    segments: ['Platform', 'Cloud Services', 'Enterprise Solutions', 'Devices', 'Professional Services', 'Embedded Products'],
    customers: ['enterprises', 'government agencies', 'original equipment manufacturers', 'mid-market businesses'],
    risks: [
      {
        title: 'Rapid technological change could make our products less competitive',
        sentences: [
          'Our markets are characterized by rapid change, frequent product introductions and evolving standards.',
          'If we fail to anticipate shifts in customer needs, including the adoption of artificial intelligence, demand for our products could decline.',
        ],
      },
      {
        title: 'Security breaches could harm our reputation and expose us to liability',
        sentences: [
          'Our products and systems process sensitive customer data and are targets for sophisticated attacks.',
          'A breach could result in regulatory penalties, litigation and the loss of customers.',
        ],
      },
      {
        title: 'We depend on a limited number of suppliers and contract manufacturers',
        sentences: [
          'Some components are available from a single source, and capacity constraints at our suppliers could delay shipments.',
          'Trade restrictions on advanced technology could limit our ability to sell to or source from certain regions.',
        ],
      },
    ],
  },
  {
    sector: 'Health Care',
    weight: 13,
    industries: [
      {
        name: 'Biotechnology',
        nameWords: ['Therapeutics', 'Biosciences', 'Bio'],
        offerings: ['antibody therapies for autoimmune disease', 'gene therapies for rare disorders', 'oncology therapeutics'],
      },
      {
        name: 'Pharmaceuticals',
        nameWords: ['Pharmaceuticals', 'Pharma'],
        offerings: ['branded and generic medicines', 'specialty injectables'],
      },
      {
        name: 'Health Care Equipment',
        nameWords: ['Medical', 'Surgical'],
        offerings: ['minimally invasive surgical systems', 'cardiac monitoring devices'],
      },
      {
        name: 'Health Care Supplies',
        nameWords: ['Medical Products'],
        offerings: ['infection-prevention supplies', 'wound care products'],
      },
      { name: 'Health Care Services', nameWords: ['Health', 'Care'], offerings: ['outpatient clinical services', 'home health services'] },
      { name: 'Managed Health Care', nameWords: ['Health Plans', 'Health'], offerings: ['Medicare Advantage and commercial health plans'] },
      {
        name: 'Life Sciences Tools & Services',
        nameWords: ['Scientific', 'Life Sciences'],
        offerings: ['laboratory instruments and consumables', 'contract research services'],
      },
      { name: 'Health Care Technology', nameWords: ['Health Systems'], offerings: ['revenue-cycle and clinical software'] },
    ],
    nameWords: ['Health', 'Medical', 'Therapeutics'],
    grossMargin: [0.35, 0.85],
    operatingMargin: [0.03, 0.28],
    priceToSales: [1.5, 7],
    assetsToRevenue: [1.1, 2.5],
    liabilitiesToAssets: [0.35, 0.65],
    growth: [-0.02, 0.18],
    payerShare: 0.35,
    dividendYield: [0.008, 0.03],
    lossShare: 0.14,
    segments: ['Pharmaceuticals', 'Medical Devices', 'Diagnostics', 'Clinical Services', 'Consumer Health', 'Research Products'],
    customers: ['hospitals and health systems', 'physicians and clinics', 'pharmaceutical companies', 'payers and government programs'],
    risks: [
      {
        title: 'Our product candidates may fail in clinical development',
        sentences: [
          'Clinical trials are expensive, can take many years and have uncertain outcomes.',
          'Results from earlier studies may not be predictive of later trials, and regulators may disagree with our interpretation of data.',
        ],
      },
      {
        title: 'Changes in reimbursement and drug pricing policy could reduce our revenue',
        sentences: [
          'Government and private payers continue to pressure prices and coverage.',
          'Legislation allowing government price negotiation could lower the net prices we realize.',
        ],
      },
      {
        title: 'Product liability claims and recalls could be costly',
        sentences: ['Our products could be alleged to cause harm, which could lead to recalls, litigation and damage to our reputation.'],
      },
    ],
  },
  {
    sector: 'Financials',
    weight: 14,
    industries: [
      {
        name: 'Regional Banks',
        bank: true,
        nameWords: ['Bancorp', 'Bankshares', 'Financial Corp'],
        offerings: ['commercial and consumer banking', 'treasury management and commercial lending'],
      },
      {
        name: 'Diversified Banks',
        bank: true,
        nameWords: ['Bancorp', 'Financial'],
        offerings: ['commercial banking, wealth management and capital markets'],
      },
      {
        name: 'Asset Management & Custody Banks',
        noGrossProfit: true,
        nameWords: ['Asset Management', 'Capital'],
        offerings: ['mutual funds and separately managed accounts'],
      },
      {
        name: 'Investment Banking & Brokerage',
        noGrossProfit: true,
        nameWords: ['Capital Markets', 'Securities'],
        offerings: ['advisory, underwriting and brokerage services'],
      },
      {
        name: 'Property & Casualty Insurance',
        noGrossProfit: true,
        nameWords: ['Insurance Group', 'Indemnity'],
        offerings: ['commercial property and casualty insurance'],
      },
      {
        name: 'Life & Health Insurance',
        noGrossProfit: true,
        nameWords: ['Life', 'Assurance'],
        offerings: ['life insurance and annuities'],
      },
      {
        name: 'Consumer Finance',
        noGrossProfit: true,
        nameWords: ['Credit', 'Finance'],
        offerings: ['installment loans and credit cards'],
      },
      {
        name: 'Transaction & Payment Processing Services',
        nameWords: ['Payments', 'Pay'],
        offerings: ['merchant acquiring and payment processing'],
      },
    ],
    nameWords: ['Financial', 'Capital'],
    grossMargin: [0.4, 0.7],
    operatingMargin: [0.12, 0.35],
    priceToSales: [1.2, 4.5],
    assetsToRevenue: [3, 9],
    liabilitiesToAssets: [0.75, 0.9],
    growth: [-0.01, 0.12],
    payerShare: 0.8,
    dividendYield: [0.015, 0.045],
    lossShare: 0.03,
    segments: ['Consumer Banking', 'Commercial Banking', 'Wealth Management', 'Insurance Solutions', 'Capital Markets', 'Payments'],
    customers: ['consumers and small businesses', 'middle-market companies', 'institutional investors', 'merchants'],
    risks: [
      {
        title: 'Changes in interest rates could reduce our net interest income',
        sentences: [
          'Our earnings depend on the spread between what we earn on loans and securities and what we pay on deposits and borrowings.',
          'Rapid rate changes can compress margins and reduce the value of our securities portfolio.',
        ],
      },
      {
        title: 'Deterioration in credit quality could require higher provisions',
        sentences: [
          'A weaker economy, particularly in commercial real estate, could increase delinquencies and charge-offs.',
          'Our allowance for credit losses reflects estimates that may prove inaccurate.',
        ],
      },
      {
        title: 'We operate in a highly regulated industry',
        sentences: [
          'Capital, liquidity and consumer-protection rules may change and could limit our ability to return capital to shareholders.',
        ],
      },
    ],
  },
  {
    sector: 'Industrials',
    weight: 14,
    industries: [
      {
        name: 'Aerospace & Defense',
        nameWords: ['Aerospace', 'Defense Systems'],
        offerings: ['flight-control components', 'defense electronics and sensors'],
      },
      {
        name: 'Industrial Machinery & Supplies',
        nameWords: ['Machinery', 'Industries'],
        offerings: ['flow-control equipment', 'precision motion components'],
      },
      {
        name: 'Electrical Components & Equipment',
        nameWords: ['Electric', 'Controls'],
        offerings: ['switchgear and power distribution equipment', 'industrial automation controls'],
      },
      { name: 'Building Products', nameWords: ['Building Products'], offerings: ['windows, doors and insulation products'] },
      {
        name: 'Construction & Engineering',
        nameWords: ['Engineering', 'Constructors'],
        offerings: ['infrastructure engineering and construction services'],
      },
      { name: 'Air Freight & Logistics', nameWords: ['Logistics'], offerings: ['time-definite freight and contract logistics'] },
      {
        name: 'Cargo Ground Transportation',
        nameWords: ['Freight', 'Transport'],
        offerings: ['truckload and less-than-truckload freight services'],
      },
      { name: 'Environmental & Facilities Services', nameWords: ['Environmental'], offerings: ['waste collection and recycling services'] },
      { name: 'Research & Consulting Services', nameWords: ['Advisory'], offerings: ['engineering consulting and compliance services'] },
      { name: 'Trading Companies & Distributors', nameWords: ['Supply'], offerings: ['maintenance, repair and operating supplies'] },
    ],
    nameWords: ['Industries', 'Group'],
    grossMargin: [0.2, 0.42],
    operatingMargin: [0.05, 0.2],
    priceToSales: [0.8, 3.5],
    assetsToRevenue: [0.9, 1.8],
    liabilitiesToAssets: [0.45, 0.7],
    growth: [-0.02, 0.1],
    payerShare: 0.7,
    dividendYield: [0.008, 0.028],
    lossShare: 0.04,
    segments: [
      'Aerospace Systems',
      'Industrial Automation',
      'Transportation Services',
      'Building Solutions',
      'Engineered Products',
      'Aftermarket Services',
    ],
    customers: ['industrial manufacturers', 'commercial airlines and defense agencies', 'contractors and distributors', 'shippers'],
    risks: [
      {
        title: 'Cyclical demand in our end markets could reduce orders',
        sentences: [
          'Our results depend on capital spending in industrial, construction and transportation markets.',
          'A slowdown could reduce backlog and leave us with under-used capacity.',
        ],
      },
      {
        title: 'Fixed-price contracts expose us to cost overruns',
        sentences: ['If our costs exceed estimates on long-term contracts, we may record losses that reduce margins.'],
      },
    ],
  },
  {
    sector: 'Consumer Discretionary',
    weight: 10,
    industries: [
      { name: 'Restaurants', nameWords: ['Restaurants', 'Kitchens'], offerings: ['fast-casual restaurants'] },
      { name: 'Apparel, Accessories & Luxury Goods', nameWords: ['Apparel', 'Brands'], offerings: ['premium apparel and accessories'] },
      { name: 'Homebuilding', nameWords: ['Homes', 'Communities'], offerings: ['single-family homes for entry-level and move-up buyers'] },
      { name: 'Automotive Parts & Equipment', nameWords: ['Automotive'], offerings: ['drivetrain and thermal-management components'] },
      { name: 'Hotels, Resorts & Cruise Lines', nameWords: ['Hospitality', 'Resorts'], offerings: ['select-service hotels and resorts'] },
      { name: 'Leisure Products', nameWords: ['Outdoors', 'Leisure'], offerings: ['outdoor recreation equipment'] },
      { name: 'Apparel Retail', nameWords: ['Outfitters', 'Stores'], offerings: ['specialty apparel stores and e-commerce'] },
      { name: 'Home Improvement Retail', nameWords: ['Home Centers'], offerings: ['home-improvement stores'] },
      { name: 'Broadline Retail', nameWords: ['Marketplace', 'Retail'], offerings: ['an online marketplace and discount stores'] },
    ],
    nameWords: ['Brands', 'Holdings'],
    grossMargin: [0.2, 0.6],
    operatingMargin: [0.03, 0.16],
    priceToSales: [0.5, 3],
    assetsToRevenue: [0.6, 1.5],
    liabilitiesToAssets: [0.45, 0.8],
    growth: [-0.04, 0.12],
    payerShare: 0.45,
    dividendYield: [0.008, 0.03],
    lossShare: 0.07,
    segments: ['Stores', 'Digital', 'Wholesale', 'International', 'Licensing', 'Franchise Operations'],
    customers: ['consumers', 'franchisees', 'department stores and wholesale partners'],
    risks: [
      {
        title: 'Changes in consumer spending could reduce demand for our products',
        sentences: [
          'Discretionary purchases are sensitive to employment, inflation, interest rates and consumer confidence.',
          'Promotional activity by competitors could pressure our pricing and margins.',
        ],
      },
      {
        title: 'Failure to anticipate fashion and product trends could hurt sales',
        sentences: ['If we misjudge demand, we could be left with excess inventory that must be sold at lower margins.'],
      },
    ],
  },
  {
    sector: 'Consumer Staples',
    weight: 5,
    industries: [
      { name: 'Packaged Foods & Meats', nameWords: ['Foods', 'Provisions'], offerings: ['snacks, frozen meals and pantry staples'] },
      { name: 'Soft Drinks & Non-alcoholic Beverages', nameWords: ['Beverage'], offerings: ['sparkling water and ready-to-drink teas'] },
      { name: 'Household Products', nameWords: ['Household Products'], offerings: ['cleaning and laundry products'] },
      { name: 'Personal Care Products', nameWords: ['Personal Care'], offerings: ['skin care and grooming products'] },
      { name: 'Food Retail', nameWords: ['Markets', 'Grocers'], offerings: ['neighborhood grocery stores'] },
      { name: 'Food Distributors', nameWords: ['Food Service'], offerings: ['foodservice distribution'] },
      { name: 'Agricultural Products & Services', nameWords: ['Agri', 'Farms'], offerings: ['grain origination and oilseed processing'] },
    ],
    nameWords: ['Brands', 'Foods'],
    grossMargin: [0.2, 0.5],
    operatingMargin: [0.04, 0.2],
    priceToSales: [0.4, 3],
    assetsToRevenue: [0.6, 1.4],
    liabilitiesToAssets: [0.5, 0.75],
    growth: [-0.02, 0.06],
    payerShare: 0.85,
    dividendYield: [0.015, 0.04],
    lossShare: 0.03,
    segments: ['North America', 'International', 'Foodservice', 'Snacks', 'Beverages', 'Personal Care'],
    customers: ['grocery chains and mass merchants', 'club stores', 'foodservice operators', 'consumers'],
    risks: [
      {
        title: 'Higher input costs could reduce our margins',
        sentences: [
          'We buy agricultural commodities, packaging and energy whose prices can rise quickly.',
          'We may not be able to raise prices fast enough to offset inflation without losing volume.',
        ],
      },
      {
        title: 'Consolidation among retail customers increases their bargaining power',
        sentences: [
          'Our largest customers account for a significant share of sales, and the growth of private-label products competes with our brands.',
        ],
      },
    ],
  },
  {
    sector: 'Energy',
    weight: 5,
    industries: [
      {
        name: 'Oil & Gas Exploration & Production',
        nameWords: ['Petroleum', 'Resources', 'Exploration'],
        offerings: ['crude oil and natural gas from onshore basins'],
      },
      { name: 'Integrated Oil & Gas', nameWords: ['Energy'], offerings: ['upstream production, refining and marketing'] },
      { name: 'Oil & Gas Refining & Marketing', nameWords: ['Refining'], offerings: ['refined fuels and specialty lubricants'] },
      {
        name: 'Oil & Gas Storage & Transportation',
        nameWords: ['Midstream', 'Pipeline'],
        offerings: ['natural gas gathering, pipelines and storage'],
      },
      {
        name: 'Oil & Gas Equipment & Services',
        nameWords: ['Drilling', 'Energy Services'],
        offerings: ['drilling, completion and production services'],
      },
    ],
    nameWords: ['Energy', 'Resources'],
    grossMargin: [0.18, 0.5],
    operatingMargin: [0.06, 0.28],
    priceToSales: [0.6, 2.5],
    assetsToRevenue: [1.3, 3],
    liabilitiesToAssets: [0.4, 0.65],
    growth: [-0.06, 0.08],
    payerShare: 0.8,
    dividendYield: [0.02, 0.06],
    lossShare: 0.05,
    segments: ['Upstream', 'Midstream', 'Refining and Marketing', 'Chemicals', 'Completion Services', 'Gathering and Processing'],
    customers: ['refiners', 'utilities and industrial users', 'exploration and production companies', 'fuel marketers'],
    risks: [
      commodityRisk,
      {
        title: 'Climate-related regulation could increase our costs',
        sentences: [
          'New limits on methane and carbon emissions could require capital spending and reduce demand for hydrocarbons over time.',
        ],
      },
    ],
  },
  {
    sector: 'Materials',
    weight: 5,
    industries: [
      { name: 'Specialty Chemicals', nameWords: ['Chemical', 'Specialty Materials'], offerings: ['specialty resins and coatings'] },
      { name: 'Commodity Chemicals', nameWords: ['Chemical'], offerings: ['chlor-alkali and vinyls'] },
      { name: 'Steel', nameWords: ['Steel'], offerings: ['flat-rolled and long steel products'] },
      { name: 'Copper', nameWords: ['Mining', 'Minerals'], offerings: ['copper concentrate and cathode'] },
      { name: 'Gold', nameWords: ['Gold', 'Mining'], offerings: ['gold and silver from open-pit mines'] },
      {
        name: 'Paper & Plastic Packaging Products & Materials',
        nameWords: ['Packaging'],
        offerings: ['containerboard and flexible packaging'],
      },
      { name: 'Construction Materials', nameWords: ['Materials', 'Aggregates'], offerings: ['aggregates, cement and ready-mix concrete'] },
    ],
    nameWords: ['Materials', 'Minerals'],
    grossMargin: [0.15, 0.4],
    operatingMargin: [0.05, 0.22],
    priceToSales: [0.7, 3],
    assetsToRevenue: [1.1, 2.4],
    liabilitiesToAssets: [0.4, 0.65],
    growth: [-0.05, 0.08],
    payerShare: 0.75,
    dividendYield: [0.015, 0.045],
    lossShare: 0.05,
    segments: ['Performance Materials', 'Industrial Chemicals', 'Packaging', 'Mining Operations', 'Aggregates', 'Coatings'],
    customers: ['manufacturers', 'construction contractors', 'consumer products companies', 'metal traders'],
    risks: [
      commodityRisk,
      {
        title: 'Environmental liabilities could be significant',
        sentences: ['Our operations are subject to environmental laws, and we may incur remediation costs for current and former sites.'],
      },
    ],
  },
  {
    sector: 'Communication Services',
    weight: 5,
    industries: [
      {
        name: 'Integrated Telecommunication Services',
        nameWords: ['Telecom', 'Communications'],
        offerings: ['fiber broadband and enterprise connectivity'],
      },
      { name: 'Wireless Telecommunication Services', nameWords: ['Wireless'], offerings: ['regional wireless service'] },
      { name: 'Cable & Satellite', nameWords: ['Cable', 'Broadband'], offerings: ['cable broadband and video service'] },
      { name: 'Broadcasting', nameWords: ['Broadcasting', 'Media'], offerings: ['local television stations'] },
      { name: 'Advertising', nameWords: ['Media', 'Marketing'], offerings: ['digital advertising and marketing services'] },
      {
        name: 'Movies & Entertainment',
        nameWords: ['Entertainment', 'Studios'],
        offerings: ['film and television production and streaming'],
      },
      {
        name: 'Interactive Media & Services',
        nameWords: ['Interactive', 'Online'],
        offerings: ['online communities and search advertising'],
      },
      { name: 'Interactive Home Entertainment', nameWords: ['Games', 'Interactive'], offerings: ['console and mobile games'] },
    ],
    nameWords: ['Communications', 'Media'],
    grossMargin: [0.35, 0.75],
    operatingMargin: [0.05, 0.28],
    priceToSales: [1, 5],
    assetsToRevenue: [1.2, 3],
    liabilitiesToAssets: [0.45, 0.75],
    growth: [-0.04, 0.14],
    payerShare: 0.45,
    dividendYield: [0.01, 0.05],
    lossShare: 0.08,
    segments: ['Consumer', 'Business Services', 'Advertising', 'Content', 'Streaming', 'Wholesale'],
    customers: ['consumers and households', 'advertisers', 'businesses', 'distributors'],
    risks: [
      {
        title: 'Competition for subscribers and advertising could reduce our revenue',
        sentences: [
          'We compete with larger platforms that have greater resources for content and technology.',
          'Advertising spending is cyclical and shifts quickly between channels.',
        ],
      },
      {
        title: 'Rising content and network costs could pressure margins',
        sentences: ['Programming fees, talent costs and network investments may grow faster than our revenue.'],
      },
    ],
  },
  {
    sector: 'Utilities',
    weight: 5,
    industries: [
      {
        name: 'Electric Utilities',
        nameWords: ['Power & Light', 'Electric'],
        offerings: ['regulated electric transmission and distribution'],
      },
      { name: 'Gas Utilities', nameWords: ['Gas', 'Natural Gas'], offerings: ['regulated natural gas distribution'] },
      { name: 'Multi-Utilities', nameWords: ['Energy', 'Utilities'], offerings: ['regulated electric and gas service'] },
      { name: 'Water Utilities', nameWords: ['Water'], offerings: ['regulated water and wastewater service'] },
      { name: 'Renewable Electricity', nameWords: ['Renewables', 'Clean Power'], offerings: ['contracted wind and solar generation'] },
    ],
    nameWords: ['Energy', 'Utilities'],
    grossMargin: [0.35, 0.6],
    operatingMargin: [0.14, 0.3],
    priceToSales: [1.5, 4],
    assetsToRevenue: [3, 5.5],
    liabilitiesToAssets: [0.65, 0.78],
    growth: [0, 0.07],
    payerShare: 0.95,
    dividendYield: [0.025, 0.05],
    lossShare: 0.02,
    segments: ['Electric Operations', 'Gas Distribution', 'Transmission', 'Renewable Generation', 'Water Services'],
    customers: ['residential customers', 'commercial and industrial customers', 'municipalities'],
    risks: [
      {
        title: 'Rate regulation may not allow us to recover our costs',
        sentences: [
          'Our rates are set by state commissions, and decisions in rate cases may not provide a timely return on our investments.',
          'Regulatory lag during periods of inflation can reduce our earned returns.',
        ],
      },
      {
        title: 'Severe weather and wildfires could damage our systems',
        sentences: ['Storms, heat waves and wildfires could cause outages, costly repairs and claims against us.'],
      },
    ],
  },
  {
    sector: 'Real Estate',
    weight: 6,
    industries: [
      {
        name: 'Industrial REITs',
        nameWords: ['Logistics Properties', 'Industrial Realty'],
        offerings: ['logistics warehouses near major ports'],
      },
      { name: 'Office REITs', nameWords: ['Office Properties'], offerings: ['class-A office buildings'] },
      { name: 'Retail REITs', nameWords: ['Retail Properties', 'Shopping Centers'], offerings: ['grocery-anchored shopping centers'] },
      {
        name: 'Multi-Family Residential REITs',
        nameWords: ['Residential', 'Apartment Communities'],
        offerings: ['apartment communities in Sunbelt markets'],
      },
      { name: 'Health Care REITs', nameWords: ['Healthcare Properties'], offerings: ['senior housing and medical office buildings'] },
      { name: 'Self-Storage REITs', nameWords: ['Storage Trust'], offerings: ['self-storage facilities'] },
      { name: 'Data Center REITs', nameWords: ['Data Centers'], offerings: ['colocation data centers'] },
      { name: 'Real Estate Services', nameWords: ['Realty'], offerings: ['commercial real estate brokerage and property management'] },
    ],
    nameWords: ['Realty', 'Properties'],
    grossMargin: [0.45, 0.72],
    operatingMargin: [0.18, 0.4],
    priceToSales: [4, 12],
    assetsToRevenue: [6, 12],
    liabilitiesToAssets: [0.4, 0.6],
    growth: [-0.02, 0.08],
    payerShare: 0.92,
    dividendYield: [0.03, 0.06],
    lossShare: 0.05,
    segments: ['Same-Store Portfolio', 'Development', 'Acquisitions', 'Property Management', 'Joint Ventures'],
    customers: ['tenants in logistics and retail', 'residents', 'health system operators', 'enterprise tenants'],
    risks: [
      {
        title: 'Higher interest rates could raise our cost of capital',
        sentences: [
          'We rely on debt and equity markets to fund acquisitions and development.',
          'Higher rates may reduce property values and make refinancing more expensive.',
        ],
      },
      {
        title: 'Tenant defaults and lower occupancy could reduce our rental income',
        sentences: ['Economic weakness or changes in how tenants use space could lead to vacancies and lower rents.'],
      },
    ],
  },
];

export const SECTOR_PROFILES: ReadonlyMap<GicsSector, SectorProfile> = new Map(SECTORS_DATA.map((p) => [p.sector, p]));
export const SECTOR_WEIGHTS: ReadonlyArray<readonly [GicsSector, number]> = SECTORS_DATA.map((p) => [p.sector, p.weight] as const);

/** Risks every company names, whatever its sector. */
export const GENERAL_RISKS: readonly RiskFactor[] = [
  {
    title: 'Adverse economic conditions could reduce demand and increase our costs',
    sentences: [
      'Inflation, higher interest rates and slower growth could weaken demand for our products and services.',
      'Economic uncertainty may also lengthen sales cycles and increase credit risk among our customers.',
    ],
  },
  {
    title: 'Cyberattacks and system failures could disrupt our operations',
    sentences: [
      'We rely on information systems to run our business, and an attack or outage could interrupt operations and expose data.',
      'Our insurance may not cover all losses from such an event.',
    ],
  },
  {
    title: 'We may not attract and retain the talent we need',
    sentences: ['Competition for skilled employees is intense, and the loss of key personnel could harm our execution.'],
  },
  {
    title: 'Acquisitions may not deliver the benefits we expect',
    sentences: [
      'Integrating acquired businesses can divert management attention and may cost more than planned.',
      'We may record impairments if acquired businesses underperform.',
    ],
  },
  {
    title: 'Our indebtedness could limit our flexibility',
    sentences: ['Covenants in our credit agreements restrict certain actions, and higher rates would increase the cost of refinancing.'],
  },
  {
    title: 'Changes in tax laws could affect our results',
    sentences: ['New tax legislation, including a global minimum tax, could increase our effective tax rate.'],
  },
  {
    title: 'Litigation and regulatory proceedings could result in significant costs',
    sentences: ['We are subject to claims in the ordinary course of business, and adverse outcomes could be material.'],
  },
  {
    title: 'Disruptions in our supply chain could delay deliveries',
    sentences: [
      'We depend on third parties for materials, logistics and services.',
      'Geopolitical tensions, tariffs and natural disasters could raise costs or interrupt supply.',
    ],
  },
  {
    title: 'Fluctuations in foreign exchange rates could affect reported results',
    sentences: ['A stronger US dollar reduces the dollar value of revenue we earn in other currencies.'],
  },
  {
    title: 'Climate change and related regulation could affect our business',
    sentences: ['Physical effects of climate change and new disclosure rules could increase our costs and affect demand.'],
  },
];

// ---------------------------------------------------------------------------------------------
// Names. Fictional tickers use an opening letter pair that no listed US ticker uses (an initial
// followed by Q or J, see universe.ts), so names start with one of these initials.

export const NAME_OPENINGS: ReadonlyMap<string, readonly string[]> = new Map([
  ['F', ['Fal', 'Fen', 'Fir', 'Fol', 'Fra', 'Fre', 'Fyn', 'Fla']],
  ['G', ['Gal', 'Gen', 'Gor', 'Gra', 'Gre', 'Gly', 'Gav']],
  ['H', ['Hal', 'Hel', 'Hor', 'Hav', 'Hes', 'Hy']],
  ['K', ['Kal', 'Kel', 'Kor', 'Kra', 'Kes', 'Kyr', 'Kav']],
  ['L', ['Lar', 'Lev', 'Lor', 'Lys', 'Lan', 'Lu']],
  ['O', ['Or', 'Os', 'Ol', 'Ov', 'Om']],
  ['P', ['Pal', 'Pel', 'Por', 'Pra', 'Pry', 'Pav']],
  ['U', ['Ul', 'Um', 'Ur', 'Uv']],
  ['V', ['Val', 'Vel', 'Vor', 'Vra', 'Ves', 'Vyn']],
  ['W', ['Wal', 'Wen', 'Wor', 'Wra', 'Wys', 'Wy']],
  ['X', ['Xan', 'Xen', 'Xyl', 'Xer']],
  ['Z', ['Zal', 'Zen', 'Zor', 'Zy', 'Zev']],
]);

export const NAME_MIDDLES = [
  'ar',
  'en',
  'or',
  'an',
  'el',
  'ir',
  'on',
  'ri',
  'ta',
  'ne',
  'vo',
  'ma',
  'li',
  'de',
  'ra',
  'sa',
  'tri',
  'qui',
  'ven',
  'dal',
  'mer',
  'bri',
  'cor',
  'thy',
  'lu',
  'ze',
  'mo',
  'ni',
  'va',
  'te',
] as const;

export const NAME_ENDINGS = [
  'ana',
  'ara',
  'era',
  'ora',
  'ix',
  'yx',
  'ex',
  'on',
  'ion',
  'is',
  'ium',
  'eon',
  'ant',
  'ent',
  'ica',
  'ova',
  'ya',
  'elle',
  'ane',
  'ity',
  'os',
  'ar',
  'en',
  'ia',
] as const;

export const CORPORATE_SUFFIXES = ['Inc.', 'Inc.', 'Inc.', 'Corp.', 'Corporation', 'Holdings, Inc.', 'Co.', 'Group, Inc.'] as const;

export const HEADQUARTERS = [
  'Columbus, Ohio',
  'Raleigh, North Carolina',
  'Denver, Colorado',
  'Minneapolis, Minnesota',
  'Austin, Texas',
  'Charlotte, North Carolina',
  'Nashville, Tennessee',
  'Salt Lake City, Utah',
  'Pittsburgh, Pennsylvania',
  'Tampa, Florida',
  'Kansas City, Missouri',
  'Indianapolis, Indiana',
  'Milwaukee, Wisconsin',
  'Boise, Idaho',
  'Richmond, Virginia',
  'Omaha, Nebraska',
  'Sacramento, California',
  'Hartford, Connecticut',
  'Houston, Texas',
  'Phoenix, Arizona',
  'Portland, Oregon',
  'Atlanta, Georgia',
  'Cleveland, Ohio',
  'Louisville, Kentucky',
  'San Diego, California',
  'Boston, Massachusetts',
  'Chicago, Illinois',
  'Dallas, Texas',
  'Seattle, Washington',
  'Stamford, Connecticut',
] as const;

export const FIRST_NAMES = [
  'Alden',
  'Bria',
  'Corin',
  'Dalia',
  'Emmett',
  'Farrah',
  'Gideon',
  'Hollis',
  'Imogen',
  'Jonah',
  'Kiera',
  'Lionel',
  'Marisol',
  'Nolan',
  'Odessa',
  'Pierce',
  'Quinn',
  'Rosalind',
  'Soren',
  'Talia',
  'Ulric',
  'Vivian',
  'Wendell',
  'Yara',
  'Anika',
  'Beckett',
  'Celeste',
  'Desmond',
  'Elowen',
  'Fletcher',
  'Greer',
  'Harlan',
  'Ingrid',
  'Jasper',
  'Leona',
  'Matthias',
] as const;

export const LAST_NAMES = [
  'Ashby',
  'Brenner',
  'Calloway',
  'Dunmore',
  'Ellery',
  'Fairbanks',
  'Garrick',
  'Hollister',
  'Ingram',
  'Jessup',
  'Kingsley',
  'Lindqvist',
  'Marchetti',
  'Northam',
  'Okafor',
  'Pemberton',
  'Quayle',
  'Radcliffe',
  'Sorensen',
  'Thorne',
  'Underhill',
  'Vance',
  'Whitlock',
  'Yardley',
  'Abernathy',
  'Blackwood',
  'Castellan',
  'Delacroix',
  'Everly',
  'Fenwick',
  'Galloway',
  'Halvorsen',
  'Iverson',
  'Kowalczyk',
  'Larkspur',
  'Montague',
  'Nakamura',
  'Ostrander',
  'Prescott',
  'Rutherford',
] as const;

/** Fictional sell-side firms (BlueMatrix-like notes). */
export const BROKERS = [
  'Halberd Ridge Securities',
  'Northmoor Capital Markets',
  'Calloway Brandt & Co.',
  'Ashgrove Research Partners',
  'Brightwater Quill Securities',
  'Kestrel Point Equity Research',
  'Marlow Hayes Frobisher',
  'Tidewell Capital Advisors',
  'Larchmont Veil Partners',
  'Redfern Osgood Capital',
  'Pinecrest Varga Equity Research',
  'Whitcombe & Vantreece',
  'Granite Harbor Quillon Securities',
  'Sablewood Merritt & Co.',
] as const;

/** Fictional newswires and outlets. */
export const NEWS_SOURCES = [
  'Meridian Newswire',
  'Tickerline',
  'The Market Ledger',
  'Harbor Financial Daily',
  'Corporate Release Service',
] as const;

export const FUNDAMENTALS_VENDOR = 'FactLedger Data (demo)';
