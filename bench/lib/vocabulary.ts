/**
 * The words the ticket benchmark's data is made of: IT topics (each with its group, category, tags,
 * subjects and problem sentences), generic agent / requester / internal-note sentences, and
 * everyday filler words. Every template is expanded into POOL_SIZE variants by filling its slots
 * with a seeded PRNG, so the data is the same on every machine and full-text search sees a
 * realistic spread: "printer" is in a few percent of tickets, "toner" in fewer, a hostname in one.
 */
export const POOL_SIZE = 128;

export const GROUPS = [
	'Service Desk',
	'Network',
	'Workplace',
	'Applications',
	'Identity & Access',
	'Infrastructure'
] as const;

/** Agents per group (50 in all); the first `shared` agents of a group also belong to the next. */
export const AGENTS_PER_GROUP = [12, 8, 10, 8, 6, 6];

export const CATEGORIES = [
	'Hardware',
	'Software',
	'Network',
	'Accounts & access',
	'Email & collaboration',
	'Servers & storage',
	'Security',
	'Other'
] as const;

/** Ticket types (created by the tickets migration) and their share in 100 slots. */
export const TYPE_SLOTS: [string, number][] = [
	['Incident', 60],
	['Service request', 30],
	['Question', 8],
	['Problem', 2]
];

export interface Topic {
	key: string;
	/** Relative frequency. */
	weight: number;
	group: (typeof GROUPS)[number];
	category: (typeof CATEGORIES)[number];
	tags: string[];
	subjects: string[];
	problems: string[];
}

export const TOPICS: Topic[] = [
	{
		key: 'printer',
		weight: 6,
		group: 'Workplace',
		category: 'Hardware',
		tags: ['printer'],
		subjects: [
			'Printer on {floor} prints blank pages',
			'Cannot print to {printer}',
			'Printer jam on {floor}, paper stuck in tray {n1}',
			'{printer} shows offline',
			'Printing from {app} is very slow',
			'Need printer driver for {printer}'
		],
		problems: [
			'The printer {printer} on {floor} shows an error and nothing comes out.',
			'Print jobs stay in the queue and never print since {time}.',
			'The pages come out with streaks, I think the toner is low.',
			'I get "printer offline" although the printer is on and connected.',
			'Scanning to email stopped working on the multifunction printer.',
			'The printer asks for a PIN code that I do not have.'
		]
	},
	{
		key: 'vpn',
		weight: 6,
		group: 'Network',
		category: 'Network',
		tags: ['vpn', 'remote'],
		subjects: [
			'VPN disconnects every {n2} minutes',
			'Cannot connect to VPN from home',
			'VPN client error {code}',
			'VPN very slow when working from {place}',
			'VPN certificate expired on my laptop'
		],
		problems: [
			'The VPN client drops the connection every few minutes while working from {place}.',
			'When I connect to the VPN I get error {code} and cannot reach internal sites.',
			'After the update of the VPN client the tunnel does not come up any more.',
			'The VPN connects but {app} cannot reach the server.',
			'Since {time} the VPN asks for my password again and again.'
		]
	},
	{
		key: 'wifi',
		weight: 5,
		group: 'Network',
		category: 'Network',
		tags: ['wifi'],
		subjects: [
			'WiFi not working in {room}',
			'Weak wireless signal on {floor}',
			'Guest WiFi password for visitors',
			'Laptop keeps dropping the WiFi connection',
			'Cannot join the corporate wireless network'
		],
		problems: [
			'The wireless network in {room} is very weak and video calls freeze.',
			'My laptop connects to the WiFi but has no internet access.',
			'The corporate WiFi rejects my credentials since {time}.',
			'We have visitors on {day} and need guest WiFi access for them.',
			'The access point on {floor} seems to be down, the light is blinking.'
		]
	},
	{
		key: 'laptop',
		weight: 6,
		group: 'Workplace',
		category: 'Hardware',
		tags: ['laptop'],
		subjects: [
			'Laptop does not start',
			'New laptop for {person}',
			'Laptop battery drains very fast',
			'Laptop overheating and fan is loud',
			'Broken laptop screen',
			'Laptop replacement request, asset {asset}'
		],
		problems: [
			'My laptop {asset} does not boot, the screen stays black.',
			'The battery of my laptop lasts less than an hour.',
			'I dropped my laptop and the screen is cracked.',
			'The laptop is very hot and the fan is loud even when idle.',
			'Please prepare a laptop with the standard image for {person} starting {day}.',
			'The keyboard of my laptop has keys that do not work.'
		]
	},
	{
		key: 'password',
		weight: 7,
		group: 'Identity & Access',
		category: 'Accounts & access',
		tags: ['password'],
		subjects: [
			'Password reset',
			'Forgot my password',
			'Password expired, cannot log in',
			'Cannot change password',
			'Password reset for {person}'
		],
		problems: [
			'I forgot my password and cannot log in to my computer.',
			'My password expired while I was on holiday and now I cannot sign in.',
			'The self-service password reset page says my phone number is unknown.',
			'When I change my password it says it does not meet the complexity requirements.',
			'Please reset the password of {person}, they are locked out.'
		]
	},
	{
		key: 'locked',
		weight: 4,
		group: 'Identity & Access',
		category: 'Accounts & access',
		tags: ['account'],
		subjects: [
			'Account locked',
			'My account is locked out again',
			'Locked out after password change',
			'Account disabled by mistake'
		],
		problems: [
			'My account gets locked every morning, probably an old password on my phone.',
			'I am locked out of my account after too many attempts.',
			'My account was disabled although I still work here.',
			'The domain account of {person} is locked since {time}.'
		]
	},
	{
		key: 'mfa',
		weight: 3,
		group: 'Identity & Access',
		category: 'Security',
		tags: ['mfa'],
		subjects: [
			'New phone, need to move authenticator',
			'MFA prompt never arrives',
			'Lost my phone, cannot approve sign-in',
			'Two-factor codes rejected'
		],
		problems: [
			'I got a new phone and the authenticator app has no accounts on it.',
			'The MFA push notification never arrives on my phone.',
			'I lost my phone and cannot approve the multi-factor sign-in.',
			'The verification codes from the authenticator are always rejected.'
		]
	},
	{
		key: 'outlook',
		weight: 6,
		group: 'Applications',
		category: 'Email & collaboration',
		tags: ['outlook', 'email'],
		subjects: [
			'Outlook keeps asking for my password',
			'Outlook does not start',
			'Outlook search returns no results',
			'Outlook calendar not syncing with phone',
			'Emails stuck in Outlook outbox'
		],
		problems: [
			'Outlook asks for my password every few minutes and does not accept it.',
			'Outlook hangs at "loading profile" and never opens.',
			'Searching in Outlook finds nothing older than {n2} days.',
			'Meetings I accept in Outlook do not show up on my phone calendar.',
			'Emails stay in the outbox and are not sent since {time}.'
		]
	},
	{
		key: 'mailbox',
		weight: 4,
		group: 'Applications',
		category: 'Email & collaboration',
		tags: ['email'],
		subjects: [
			'Mailbox full',
			'Shared mailbox access for {team}',
			'Emails from {vendor} land in spam',
			'Out of office for {person}',
			'Distribution list change'
		],
		problems: [
			'My mailbox is full and I cannot send emails any more.',
			'Please give me access to the shared mailbox of {team}.',
			'Emails from our supplier {vendor} are marked as spam.',
			'{person} left and we need an out-of-office reply and forwarding.',
			'Please add {person} to the distribution list of {team}.'
		]
	},
	{
		key: 'teams',
		weight: 4,
		group: 'Applications',
		category: 'Email & collaboration',
		tags: ['teams'],
		subjects: [
			'Teams call has no audio',
			'Cannot share screen in Teams',
			'Teams channel for {team}',
			'Teams crashes on start'
		],
		problems: [
			'In Teams calls nobody can hear me although the headset works.',
			'Screen sharing in Teams shows a black window.',
			'Please create a Teams channel for {team} with the usual members.',
			'Teams crashes right after start with error {code}.'
		]
	},
	{
		key: 'onboarding',
		weight: 4,
		group: 'Service Desk',
		category: 'Accounts & access',
		tags: ['onboarding'],
		subjects: [
			'New starter {person} on {day}',
			'Onboarding: accounts and laptop for {team}',
			'New employee needs access to {app}',
			'Intern starting next week'
		],
		problems: [
			'{person} starts in {team} on {day} and needs an account, email and a laptop.',
			'Our new colleague needs access to {app} and the shared drive of {team}.',
			'Please prepare the usual onboarding package for {person}.',
			'The intern needs a laptop, a badge and a guest account for three months.'
		]
	},
	{
		key: 'offboarding',
		weight: 2,
		group: 'Identity & Access',
		category: 'Accounts & access',
		tags: ['offboarding'],
		subjects: [
			'Leaver: {person} last day {day}',
			'Disable accounts of {person}',
			'Offboarding for {team}'
		],
		problems: [
			'{person} leaves on {day}; please disable the accounts and collect the laptop.',
			'Please move the files of {person} to their manager before the account is deleted.',
			'The mailbox of {person} must be kept for six months after they leave.'
		]
	},
	{
		key: 'software',
		weight: 5,
		group: 'Service Desk',
		category: 'Software',
		tags: ['software'],
		subjects: [
			'Install {app} please',
			'Software request: {app}',
			'{app} license needed',
			'Update {app} to the latest version',
			'{app} not in the software center'
		],
		problems: [
			'I need {app} installed for a project starting {day}.',
			'The software center does not offer {app}, can you install it?',
			'My {app} license expired and it runs in read-only mode.',
			'{app} shows a message that an update is required.',
			'Installing {app} fails with error {code}.'
		]
	},
	{
		key: 'slow',
		weight: 4,
		group: 'Service Desk',
		category: 'Hardware',
		tags: ['performance'],
		subjects: [
			'Computer very slow',
			'Everything freezes since the update',
			'PC takes ages to start',
			'Slow performance in {app}'
		],
		problems: [
			'My computer is extremely slow since {time}, opening files takes minutes.',
			'Since the last update everything freezes for a few seconds.',
			'Starting the PC takes more than ten minutes.',
			'{app} is very slow and the disk is at one hundred percent.'
		]
	},
	{
		key: 'bluescreen',
		weight: 2,
		group: 'Workplace',
		category: 'Hardware',
		tags: ['crash'],
		subjects: ['Blue screen on startup', 'PC crashes with {code}', 'Random restarts'],
		problems: [
			'My PC shows a blue screen with stop code {code} a few times a day.',
			'The computer restarts on its own while I work.',
			'After the driver update the machine crashes when I connect the dock.'
		]
	},
	{
		key: 'monitor',
		weight: 3,
		group: 'Workplace',
		category: 'Hardware',
		tags: ['monitor', 'docking'],
		subjects: [
			'Second monitor not detected',
			'Docking station not working',
			'Need a bigger monitor',
			'Monitor flickers'
		],
		problems: [
			'My second monitor is not detected when I use the docking station.',
			'The docking station in {room} does not charge the laptop.',
			'The monitor flickers and sometimes goes black for a second.',
			'I would like a second monitor for my desk on {floor}.'
		]
	},
	{
		key: 'peripherals',
		weight: 3,
		group: 'Workplace',
		category: 'Hardware',
		tags: ['hardware'],
		subjects: [
			'Keyboard and mouse replacement',
			'Headset for calls',
			'Webcam not working',
			'USB stick not recognised'
		],
		problems: [
			'My keyboard has a sticky space bar and the mouse wheel is broken.',
			'I need a headset with a microphone for customer calls.',
			'The webcam shows a black image in every application.',
			'USB storage is blocked, but I need to copy files from a customer.'
		]
	},
	{
		key: 'mobile',
		weight: 3,
		group: 'Workplace',
		category: 'Hardware',
		tags: ['mobile'],
		subjects: [
			'New mobile phone',
			'Company phone does not sync email',
			'Phone screen broken',
			'SIM card for {person}'
		],
		problems: [
			'My company phone is {n2} years old and the battery is dead.',
			'Email does not sync on my company phone since {time}.',
			'I broke the screen of my company phone.',
			'{person} needs a SIM card and a phone with the company apps.'
		]
	},
	{
		key: 'share',
		weight: 4,
		group: 'Identity & Access',
		category: 'Accounts & access',
		tags: ['access'],
		subjects: [
			'Access to shared drive {share}',
			'Cannot open folder on {share}',
			'Permissions for {team} folder',
			'Network drive not mapped'
		],
		problems: [
			'Please give me write access to the folder {share} of {team}.',
			'I get "access denied" when I open {share}.',
			'The network drive {share} is not mapped after login.',
			'My manager approved access to the {team} folder, see below.'
		]
	},
	{
		key: 'sharepoint',
		weight: 3,
		group: 'Applications',
		category: 'Email & collaboration',
		tags: ['sharepoint'],
		subjects: [
			'SharePoint site for {team}',
			'OneDrive not syncing',
			'Cannot open file in SharePoint',
			'Restore deleted SharePoint file'
		],
		problems: [
			'OneDrive shows a red cross and has not synced since {time}.',
			'I deleted a document on the {team} SharePoint site by mistake.',
			'Opening an Excel file from SharePoint says it is locked by another user.',
			'Please create a SharePoint site for the project of {team}.'
		]
	},
	{
		key: 'erp',
		weight: 3,
		group: 'Applications',
		category: 'Software',
		tags: ['erp'],
		subjects: [
			'ERP error when posting invoice',
			'Cannot log in to the ERP',
			'ERP report takes forever',
			'ERP role for {person}'
		],
		problems: [
			'Posting an invoice in the ERP fails with error {code}.',
			'The ERP login says my user is locked.',
			'The monthly report in the ERP runs for hours and times out.',
			'{person} needs the purchasing role in the ERP.'
		]
	},
	{
		key: 'excel',
		weight: 3,
		group: 'Applications',
		category: 'Software',
		tags: ['office'],
		subjects: [
			'Excel crashes when opening file',
			'Word document corrupted',
			'Office activation error',
			'Macros blocked in Excel'
		],
		problems: [
			'Excel crashes as soon as I open the budget file.',
			'Word says the document is corrupted and cannot be opened.',
			'Office shows an activation error and features are disabled.',
			'The macros in our template are blocked since the last update.'
		]
	},
	{
		key: 'phishing',
		weight: 3,
		group: 'Service Desk',
		category: 'Security',
		tags: ['security', 'phishing'],
		subjects: [
			'Suspicious email received',
			'I clicked a phishing link',
			'Fake invoice from {vendor}',
			'Report spam campaign'
		],
		problems: [
			'I received an email asking me to confirm my password, it looks like phishing.',
			'I clicked a link in an email and entered my password, please help.',
			'An invoice from {vendor} arrived from an address that does not look right.',
			'Several colleagues in {team} got the same suspicious email.'
		]
	},
	{
		key: 'server',
		weight: 2,
		group: 'Infrastructure',
		category: 'Servers & storage',
		tags: ['server'],
		subjects: [
			'Server {host} not responding',
			'High CPU on {host}',
			'Disk space low on {host}',
			'Scheduled task failed on {host}'
		],
		problems: [
			'The server {host} does not answer ping since {time}.',
			'Monitoring shows the CPU of {host} at one hundred percent.',
			'The data disk of {host} has less than {n2} percent free.',
			'The nightly job on {host} failed with exit code {n1}.'
		]
	},
	{
		key: 'backup',
		weight: 2,
		group: 'Infrastructure',
		category: 'Servers & storage',
		tags: ['backup'],
		subjects: [
			'Restore file from backup',
			'Backup job failed',
			'Restore deleted folder on {share}'
		],
		problems: [
			'Please restore the folder {share} as it was on {day}.',
			'The backup job for {host} failed last night.',
			"I overwrote an important file, can you restore yesterday's version?"
		]
	},
	{
		key: 'certificate',
		weight: 1,
		group: 'Infrastructure',
		category: 'Security',
		tags: ['certificate'],
		subjects: ['Certificate expired on {host}', 'Browser shows certificate warning for intranet'],
		problems: [
			'The browser warns that the certificate of the intranet expired.',
			'The TLS certificate on {host} expires in {n2} days.'
		]
	},
	{
		key: 'website',
		weight: 2,
		group: 'Network',
		category: 'Network',
		tags: ['proxy'],
		subjects: [
			'Website blocked by proxy',
			'Cannot reach {vendor} portal',
			'Firewall rule request for {host}'
		],
		problems: [
			'The proxy blocks the website of {vendor} that we need for work.',
			'The portal of {vendor} times out from the office but works at home.',
			'Please open port {n3} from {host} to the new supplier system.'
		]
	},
	{
		key: 'video',
		weight: 2,
		group: 'Applications',
		category: 'Email & collaboration',
		tags: ['meeting-room'],
		subjects: [
			'Meeting room screen not working in {room}',
			'Video conference system in {room} has no sound',
			'Zoom client needed'
		],
		problems: [
			'The screen in meeting room {room} does not show the laptop image.',
			'The conference system in {room} has no sound for remote participants.',
			'A customer invited us to Zoom and the client is not installed.'
		]
	},
	{
		key: 'question',
		weight: 3,
		group: 'Service Desk',
		category: 'Other',
		tags: ['how-to'],
		subjects: [
			'How do I set up email on my phone?',
			'Question about {app}',
			'Where can I find the IT policy?',
			'How to book a loan laptop'
		],
		problems: [
			'How do I set up my company email on my private phone?',
			'Is there a training for {app}? I am new in {team}.',
			'Where can I find the policy about working from abroad?',
			'Can I borrow a laptop for a trip on {day}?'
		]
	}
];

/** Generic sentences by who writes them. */
const AGENT = [
	'Hello {first}, thank you for your message.',
	'Thanks for reporting this, I am looking into it now.',
	'Could you send me a screenshot of the error message?',
	'I have restarted the service on our side, please try again.',
	'Please restart your computer and let me know if the problem persists.',
	'I connected remotely and reinstalled the driver.',
	'Can you tell me the asset tag on the back of the device?',
	'This is a known issue and our {team2} team is working on it.',
	'I have reset it, the temporary password was sent to your manager.',
	'Please check again now, I changed the configuration.',
	'I will come by your desk on {floor} this afternoon.',
	'I escalated this to the second level with high priority.',
	'We ordered the replacement, delivery is expected on {day}.',
	'Could you confirm that it works for you now?',
	'I added you to the group, it can take up to an hour to apply.'
];
const REQUESTER = [
	'Thanks, it works again.',
	'Still the same problem, nothing changed.',
	'Here is the screenshot you asked for.',
	'I tried that but it did not help.',
	'Any update on this? It is getting urgent.',
	'I am in the office on {day} if you want to have a look.',
	'The asset tag is {asset}.',
	'It happened again this morning around {time}.',
	'My manager {person} approved this request.',
	'Great, thank you very much for the quick help!',
	'Sorry, I was away. Yes it still happens.',
	'It only happens when I work from {place}.'
];
const NOTE = [
	'Checked the logs, nothing obvious.',
	'Same issue as last week, see related ticket.',
	'Waiting for the vendor {vendor} to answer.',
	'User is VIP, please handle with care.',
	'Reassigning, this belongs to {team2}.',
	'Approval from the manager is in the mail thread.',
	'Remote session done, cause was a corrupted profile.',
	'Spare part ordered, order number {n3}.',
	'Do not close before the user confirms.',
	'Probably related to the change done on {day}.'
];
const CLOSING = [
	'Kind regards',
	'Best regards, IT Service Desk',
	'Let me know if you need anything else.',
	'I will close this ticket in three days if I do not hear back.',
	'Have a nice day!',
	'Thanks for your patience.'
];
/** Everyday words, so conversations also contain text that is not about IT at all. */
const WORDS = (
	'about above account action active actually address afternoon agenda agree airport allow ' +
	'almost already although always amount annual answer appointment april area around arrive ' +
	'article aside august autumn available average away balance bank basement basket beach before ' +
	'begin behind believe below benefit better between bicycle birthday board bottle branch break ' +
	'bridge brief bring budget building busy button calendar campaign canteen capital careful ' +
	'carpet catalogue ceiling central certain chair change charge cheap check choice city client ' +
	'coffee colleague comfortable company complete concert contract corner country course cousin ' +
	'customer daily damage dance danger december decide delivery department desk detail dinner ' +
	'direct discount distance doctor document double during early easter economy either elevator ' +
	'employee empty energy engine entrance envelope evening event exactly example exchange ' +
	'expensive family famous february festival figure finance finish flight floor flower forecast ' +
	'forward friday friend front future garden general gift glass global grateful green group ' +
	'guest habit half hallway happy harbour headline health heavy holiday honest hotel hour ' +
	'however hundred idea important income inside invoice island january journey july june ' +
	'kitchen label language large later launch lawyer leader lesson letter library light listen ' +
	'little local lunch machine market marketing meeting member message method middle minute ' +
	'model monday money month morning mountain museum nature nearly neighbour network news night ' +
	'normal notice november number ocean october office online orange order owner package paper ' +
	'parking partner party payment people period picture planning pocket policy position possible ' +
	'quarter question quick quiet railway rain reason receipt recent region remember report ' +
	'request river salary saturday schedule season second secret seminar september service ' +
	'shipment shop simple sister small spring staff station storage story strategy street summer ' +
	'sunday supplier survey table taxi tender theatre thursday ticket today tomorrow total tower ' +
	'training travel tuesday umbrella uniform vacation village visit warehouse weather wednesday ' +
	'weekend welcome window winter workshop yellow yesterday'
).split(' ');

const FILL: Record<string, string[]> = {
	floor: ['the 1st floor', 'the 2nd floor', 'the 3rd floor', 'the 4th floor', 'the ground floor'],
	printer: ['PRN-101', 'PRN-205', 'PRN-310', 'the HP LaserJet', 'the Canon copier', 'the Xerox'],
	app: [
		'Excel',
		'Adobe Acrobat',
		'Visual Studio Code',
		'AutoCAD',
		'Power BI',
		'Salesforce',
		'the ERP',
		'Tableau',
		'Slack',
		'SAP GUI',
		'Photoshop',
		'Python'
	],
	time: ['this morning', 'yesterday', 'Monday', 'the last update', 'last week', '9 am'],
	day: ['Monday', 'Tuesday', 'next week', 'the 1st', 'Friday', 'the 15th'],
	place: ['home', 'the hotel', 'the Munich office', 'the train', 'the customer site'],
	room: ['room Berlin', 'room Lisbon', 'room 4.12', 'the boardroom', 'room Oslo', 'the lobby'],
	team: ['Finance', 'Sales', 'Marketing', 'HR', 'Legal', 'Engineering', 'Logistics'],
	team2: ['network', 'infrastructure', 'applications', 'security', 'workplace'],
	vendor: ['Contoso', 'Fabrikam', 'Northwind', 'Globex', 'Initech', 'Umbrella Corp'],
	share: ['\\\\fs01\\finance', '\\\\fs02\\projects', '\\\\fs01\\hr', '\\\\fs03\\sales'],
	first: ['Anna', 'Ben', 'Chloe', 'David', 'Emma', 'Felix', 'Grace', 'Hugo', 'Ines', 'Jonas'],
	person: ['Anna Becker', 'Ben Okafor', 'Chloe Rossi', 'David Nguyen', 'Emma Tanaka', 'Hugo Dubois']
};

/** A small seeded PRNG (mulberry32), so every machine generates the same sentences. */
function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function fill(template: string, rnd: () => number): string {
	const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
	return template.replace(/\{(\w+)\}/g, (_m, slot: string) => {
		switch (slot) {
			case 'n1':
				return String(1 + Math.floor(rnd() * 4));
			case 'n2':
				return String(2 + Math.floor(rnd() * 28));
			case 'n3':
				return String(1000 + Math.floor(rnd() * 64000));
			case 'code':
				return `0x${Math.floor(rnd() * 0xffffff)
					.toString(16)
					.padStart(6, '0')}`;
			case 'asset':
				return `LT-${10000 + Math.floor(rnd() * 90000)}`;
			case 'host':
				return `${pick(['srv', 'app', 'db', 'fs', 'web'])}${String(1 + Math.floor(rnd() * 60)).padStart(2, '0')}`;
			default:
				return pick(FILL[slot] ?? [slot]);
		}
	});
}

/** POOL_SIZE variants of templates; every few a handful of everyday words appended. */
function variants(templates: string[], rnd: () => number, words = 0.25): string[] {
	return Array.from({ length: POOL_SIZE }, (_, k) => {
		const base = fill(templates[k % templates.length]!, rnd);
		if (rnd() >= words) return base;
		const extra = Array.from(
			{ length: 2 + Math.floor(rnd() * 5) },
			() => WORDS[Math.floor(rnd() * WORDS.length)]!
		);
		return `${base} ${extra.join(' ')}.`;
	});
}

/** Pool numbers: topic i has subjects in 2i and problems in 2i + 1; the rest are fixed. */
export const POOL = { agent: 1000, requester: 1001, note: 1002, closing: 1003, words: 1004 };

export interface SentenceRow {
	pool: number;
	k: number;
	s: string;
}

export function sentencePools(): SentenceRow[] {
	const rnd = prng(20261122);
	const rows: SentenceRow[] = [];
	const add = (pool: number, list: string[]) => list.forEach((s, k) => rows.push({ pool, k, s }));
	TOPICS.forEach((t, i) => {
		add(2 * i, variants(t.subjects, rnd, 0));
		add(2 * i + 1, variants(t.problems, rnd));
	});
	add(POOL.agent, variants(AGENT, rnd));
	add(POOL.requester, variants(REQUESTER, rnd));
	add(POOL.note, variants(NOTE, rnd));
	add(POOL.closing, variants(CLOSING, rnd, 0));
	add(
		POOL.words,
		Array.from({ length: POOL_SIZE }, () => {
			const n = 4 + Math.floor(rnd() * 8);
			const ws = Array.from({ length: n }, () => WORDS[Math.floor(rnd() * WORDS.length)]!);
			return `${ws.join(' ')}.`.replace(/^./, (c) => c.toUpperCase());
		})
	);
	return rows;
}

/** 1,000 slots, each naming a topic index, in proportion to the topics' weights. */
export function topicSlots(): number[] {
	const total = TOPICS.reduce((s, t) => s + t.weight, 0);
	const slots: number[] = [];
	TOPICS.forEach((t, i) => {
		const n = Math.round((t.weight / total) * 1000);
		for (let k = 0; k < n; k++) slots.push(i);
	});
	while (slots.length < 1000) slots.push(0);
	return slots.slice(0, 1000);
}

export const FIRST_NAMES = [
	'Anna',
	'Ben',
	'Chloe',
	'David',
	'Emma',
	'Felix',
	'Grace',
	'Hugo',
	'Ines',
	'Jonas',
	'Karin',
	'Luca',
	'Maya',
	'Noah',
	'Olga',
	'Priya',
	'Quentin',
	'Rosa',
	'Sven',
	'Tariq'
];
export const LAST_NAMES = [
	'Becker',
	'Schmidt',
	'Okafor',
	'Rossi',
	'Nguyen',
	'Tanaka',
	'Dubois',
	'Haddad',
	'Kowalski',
	'Andersen',
	'Garcia',
	'Murphy'
];
export const DEPARTMENTS = ['Finance', 'Sales', 'Marketing', 'HR', 'Legal', 'Engineering', 'IT'];
