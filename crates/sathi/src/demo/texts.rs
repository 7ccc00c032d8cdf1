//! Data the case generator draws from: weights, names, needs and the free texts caseworkers
//! write, each text in English and Bangla.

/// Weights of the child's age today in whole years, 0 to 17.
pub(super) const AGE_WEIGHTS: [(i64, u32); 18] = [
    (0, 3),
    (1, 4),
    (2, 4),
    (3, 5),
    (4, 5),
    (5, 6),
    (6, 6),
    (7, 7),
    (8, 7),
    (9, 7),
    (10, 7),
    (11, 7),
    (12, 7),
    (13, 7),
    (14, 7),
    (15, 6),
    (16, 5),
    (17, 4),
];

/// Weights of protection concerns: separation, distress and child labour are the most common.
pub(super) const CONCERN_WEIGHTS: [(&str, u32); 25] = [
    ("separated", 18),
    ("unaccompanied", 8),
    ("psychosocial_distress", 14),
    ("child_labour", 10),
    ("neglect", 8),
    ("physical_violence", 8),
    ("out_of_school", 8),
    ("child_marriage", 5),
    ("emotional_abuse", 4),
    ("sexual_violence", 3),
    ("disability", 4),
    ("statelessness_documentation", 3),
    ("orphan", 4),
    ("child_headed_household", 2),
    ("serious_medical_condition", 3),
    ("child_caregiver", 2),
    ("trafficking", 1),
    ("in_conflict_with_law", 1),
    ("substance_use", 1),
    ("pregnant_or_child_parent", 1),
    ("abduction", 1),
    ("unsafe_sea_journey", 1),
    ("associated_with_armed_groups", 1),
    ("sexual_exploitation", 1),
    ("other", 1),
];

/// Services the demo's service providers receive referrals for.
pub(super) const REFERRABLE_SERVICES: [&str; 7] = [
    "health",
    "mental_health",
    "psychosocial_support",
    "gbv_services",
    "legal",
    "documentation",
    "disability_support",
];

/// Assessment domains (the middle of `assessment_<domain>_rating`) and the concerns that make
/// each a serious concern.
pub(super) const ASSESSMENT_DOMAINS: [(&str, &[&str]); 7] = [
    (
        "safety",
        &[
            "physical_violence",
            "sexual_violence",
            "trafficking",
            "abduction",
            "child_marriage",
            "unaccompanied",
        ],
    ),
    ("family_care", &["separated", "unaccompanied", "neglect", "orphan", "child_headed_household"]),
    ("health", &["serious_medical_condition", "disability", "sexual_violence", "substance_use"]),
    ("education", &["out_of_school", "child_labour", "child_marriage"]),
    ("psychosocial", &["psychosocial_distress", "emotional_abuse", "sexual_violence"]),
    ("legal_documentation", &["statelessness_documentation", "in_conflict_with_law", "in_detention"]),
    ("livelihood", &["child_labour", "child_headed_household", "child_caregiver"]),
];

/// One need of a case plan and the service that meets it.
pub(super) struct Need {
    pub(super) english: &'static str,
    pub(super) bangla: &'static str,
    pub(super) service: &'static str,
}

pub(super) const fn need(english: &'static str, bangla: &'static str, service: &'static str) -> Need {
    Need { english, bangla, service }
}

pub(super) fn needs_of(concern: &str) -> &'static [Need] {
    const SEPARATION: &[Need] = &[
        need("Trace and verify family", "পরিবার খোঁজা ও যাচাই", "family_tracing_reunification"),
        need("Safe interim care", "নিরাপদ অন্তর্বর্তীকালীন যত্ন", "alternative_care"),
    ];
    const VIOLENCE: &[Need] = &[
        need("Medical check after injury", "আঘাতের পর স্বাস্থ্য পরীক্ষা", "health"),
        need("Counselling for child and caregiver", "শিশু ও অভিভাবকের কাউন্সেলিং", "psychosocial_support"),
    ];
    const SEXUAL_VIOLENCE: &[Need] = &[
        need("Clinical care within 72 hours", "৭২ ঘণ্টার মধ্যে চিকিৎসা", "health"),
        need("GBV case management", "জিবিভি কেস ব্যবস্থাপনা", "gbv_services"),
    ];
    const DISTRESS: &[Need] = &[
        need("Psychosocial support sessions", "মনোসামাজিক সহায়তা সেশন", "psychosocial_support"),
        need("Child friendly space activities", "শিশুবান্ধব কেন্দ্রের কার্যক্রম", "child_friendly_space"),
    ];
    const LABOUR: &[Need] = &[
        need("Return to learning centre", "লার্নিং সেন্টারে ফিরে যাওয়া", "education"),
        need("Household income support", "পরিবারের আয় সহায়তা", "livelihood"),
    ];
    const MARRIAGE: &[Need] = &[
        need(
            "Family counselling to delay marriage",
            "বাল্যবিবাহ ঠেকাতে পরিবারকে কাউন্সেলিং",
            "psychosocial_support",
        ),
        need("Life skills group for girls", "কিশোরীদের জীবন দক্ষতা দল", "life_skills"),
    ];
    const DISABILITY: &[Need] = &[
        need("Assistive device and therapy", "সহায়ক উপকরণ ও থেরাপি", "disability_support"),
        need("Health check", "স্বাস্থ্য পরীক্ষা", "health"),
    ];
    const DOCUMENTATION: &[Need] = &[
        need("Birth registration and documents", "জন্ম নিবন্ধন ও কাগজপত্র", "documentation"),
        need("Legal counselling", "আইনি পরামর্শ", "legal"),
    ];
    const LEGAL: &[Need] = &[need("Legal aid and court support", "আইনি সহায়তা ও আদালতে সহায়তা", "legal")];
    const HEALTH: &[Need] = &[
        need("Referral to health post", "স্বাস্থ্যকেন্দ্রে রেফারাল", "health"),
        need("Mental health assessment", "মানসিক স্বাস্থ্য মূল্যায়ন", "mental_health"),
    ];
    const SCHOOL: &[Need] = &[need("Enrol in learning centre", "লার্নিং সেন্টারে ভর্তি", "education")];
    const HOUSEHOLD: &[Need] = &[
        need("Cash support for the household", "পরিবারের জন্য নগদ সহায়তা", "cash"),
        need("Food assistance", "খাদ্য সহায়তা", "food"),
    ];
    const TRAFFICKING: &[Need] = &[
        need("Safety plan", "নিরাপত্তা পরিকল্পনা", "safety_security"),
        need("Legal counselling", "আইনি পরামর্শ", "legal"),
    ];

    const GENERAL: &[Need] =
        &[need("Psychosocial support sessions", "মনোসামাজিক সহায়তা সেশন", "psychosocial_support")];

    match concern {
        "separated" | "unaccompanied" => SEPARATION,
        "physical_violence" | "emotional_abuse" | "neglect" => VIOLENCE,
        "sexual_violence" | "sexual_exploitation" => SEXUAL_VIOLENCE,
        "psychosocial_distress" | "unsafe_sea_journey" => DISTRESS,
        "child_labour" => LABOUR,
        "child_marriage" | "pregnant_or_child_parent" => MARRIAGE,
        "disability" => DISABILITY,
        "statelessness_documentation" => DOCUMENTATION,
        "in_conflict_with_law" | "in_detention" | "associated_with_armed_groups" => LEGAL,
        "serious_medical_condition" | "substance_use" => HEALTH,
        "out_of_school" => SCHOOL,
        "child_headed_household" | "child_caregiver" | "orphan" => HOUSEHOLD,
        "trafficking" | "abduction" => TRAFFICKING,
        _ => GENERAL,
    }
}

/// Spellings of one name in Latin and Bangla script, as caseworkers write them down.
pub(super) struct NameVariants {
    pub(super) latin: &'static [&'static str],
    pub(super) bangla: &'static [&'static str],
}

pub(super) const fn variants(
    latin: &'static [&'static str],
    bangla: &'static [&'static str],
) -> NameVariants {
    NameVariants { latin, bangla }
}

/// The first given name of many Rohingya boys, followed by a second given name.
pub(super) const MOHAMMED: NameVariants = variants(
    &["Mohammed", "Muhammad", "Mohamad", "Mohammad", "Mohamed", "Md."],
    &["মোহাম্মদ", "মুহাম্মদ", "মোহাম্মাদ", "মুহাম্মাদ", "মোঃ"],
);

pub(super) const BOY_NAMES: &[NameVariants] = &[
    variants(&["Yasin", "Yaseen", "Iyasin"], &["ইয়াসিন", "ইয়াছিন"]),
    variants(&["Ayub", "Ayoub", "Aiyub"], &["আইয়ুব", "আয়ুব"]),
    variants(&["Anwar", "Anowar"], &["আনোয়ার", "আনওয়ার"]),
    variants(&["Hamid", "Hamed"], &["হামিদ"]),
    variants(&["Jamal", "Zamal"], &["জামাল"]),
    variants(&["Rashid", "Rasheed", "Roshid"], &["রশিদ", "রশীদ"]),
    variants(&["Salim", "Saleem", "Selim"], &["সলিম", "সেলিম"]),
    variants(&["Rafiq", "Rafique", "Rofik"], &["রফিক"]),
    variants(&["Zubair", "Jubair", "Jubayer"], &["জুবায়ের", "যুবায়ের"]),
    variants(&["Ismail", "Ismael", "Esmail"], &["ইসমাইল", "ইছমাইল"]),
    variants(&["Ibrahim", "Ebrahim"], &["ইব্রাহিম", "ইবরাহীম"]),
    variants(&["Yunus", "Younus", "Eunus"], &["ইউনুস", "ইউনূস"]),
    variants(&["Hashim", "Hashem", "Hasim"], &["হাশিম", "হাসেম"]),
    variants(&["Kamal"], &["কামাল"]),
    variants(&["Faisal", "Foysal", "Faysal"], &["ফয়সাল"]),
    variants(&["Enayet", "Inayat", "Enayat"], &["এনায়েত"]),
    variants(&["Shafi", "Shofi", "Safi"], &["শফি", "শফী"]),
    variants(&["Harun", "Haroon", "Horun"], &["হারুন"]),
    variants(&["Omar", "Umar", "Omor"], &["ওমর", "উমর"]),
    variants(&["Sayed", "Syed", "Saiyed"], &["সৈয়দ", "সাইয়েদ"]),
    variants(&["Nur Islam", "Noor Islam", "Nurul Islam"], &["নূর ইসলাম", "নুরুল ইসলাম"]),
    variants(&["Abdul Karim", "Abdul Kareem"], &["আব্দুল করিম", "আবদুল করিম"]),
    variants(&["Abdur Rahman", "Abdul Rahman", "Abdur Rohman"], &["আব্দুর রহমান", "আবদুর রহমান"]),
    variants(&["Rahmat Ullah", "Rohmat Ullah", "Rahmatullah"], &["রহমত উল্লাহ", "রহমতুল্লাহ"]),
    variants(&["Sadek", "Sadiq", "Siddique"], &["সাদেক", "সাদিক"]),
    variants(&["Jahid", "Zahid"], &["জাহিদ", "যাহিদ"]),
    variants(&["Hafez", "Hafiz"], &["হাফেজ", "হাফিজ"]),
    variants(&["Sultan"], &["সুলতান"]),
    variants(&["Rohim", "Rahim"], &["রহিম"]),
];

pub(super) const GIRL_NAMES: &[NameVariants] = &[
    variants(&["Noor Kayas", "Nur Kayas", "Nur Kaiyas"], &["নূর কায়াস", "নুর কাইয়াস"]),
    variants(&["Rahima", "Rohima"], &["রহিমা", "রহীমা"]),
    variants(&["Shamima", "Samima"], &["শামীমা", "শামিমা"]),
    variants(&["Sokina", "Sakina", "Shokina"], &["সকিনা", "সখিনা"]),
    variants(&["Tasmin", "Tasmina", "Tasmeen"], &["তাসমিন", "তাছমিন"]),
    variants(&["Hasina", "Hosina"], &["হাসিনা"]),
    variants(&["Rashida", "Roshida"], &["রশিদা"]),
    variants(&["Setara", "Sitara"], &["সেতারা", "সিতারা"]),
    variants(&["Nur Jahan", "Noor Jahan", "Nurjahan"], &["নূর জাহান", "নুরজাহান"]),
    variants(&["Fatema", "Fatima", "Fatama"], &["ফাতেমা", "ফাতিমা"]),
    variants(&["Ayesha", "Aisha", "Ayasha"], &["আয়েশা", "আয়শা"]),
    variants(&["Minara", "Monira"], &["মিনারা", "মনিরা"]),
    variants(&["Rojina", "Rozina"], &["রোজিনা"]),
    variants(&["Umme Salma", "Ummay Salma"], &["উম্মে সালমা"]),
    variants(&["Jannat Ara", "Jannatara"], &["জান্নাত আরা"]),
    variants(&["Senuara", "Sanuara", "Sonuara"], &["সেনোয়ারা", "সনোয়ারা"]),
    variants(&["Khurshida", "Khorshida"], &["খুরশিদা"]),
    variants(&["Romida", "Rumida"], &["রমিদা"]),
    variants(&["Shahida", "Sahida"], &["শাহিদা"]),
    variants(&["Hamida", "Homida"], &["হামিদা"]),
    variants(&["Sanjida"], &["সানজিদা"]),
    variants(&["Monowara", "Mnowara", "Monoara"], &["মনোয়ারা"]),
    variants(&["Rokeya", "Rukiya", "Rokiya"], &["রোকেয়া", "রুকিয়া"]),
    variants(&["Asma", "Asmaa"], &["আসমা"]),
    variants(&["Yasmin", "Jasmin", "Yasmeen"], &["ইয়াসমিন", "ইয়াছমিন"]),
    variants(&["Nur Ankis", "Noor Ankis"], &["নূর আনকিস"]),
    variants(&["Nur Bahar", "Noor Bahar"], &["নূর বাহার"]),
    variants(&["Halima", "Holima"], &["হালিমা"]),
    variants(&["Morjina", "Marjina"], &["মর্জিনা"]),
];

pub(super) const BOY_SURNAMES: &[NameVariants] = &[
    variants(&["Ullah"], &["উল্লাহ"]),
    variants(&["Alam"], &["আলম"]),
    variants(&["Hossain", "Hussain", "Hossen"], &["হোসেন", "হোসাইন"]),
    variants(&["Islam"], &["ইসলাম"]),
    variants(&["Kabir"], &["কবির"]),
    variants(&["Amin"], &["আমিন"]),
    variants(&["Miah", "Mia"], &["মিয়া"]),
    variants(&["Khan"], &["খান"]),
    variants(&["Uddin"], &["উদ্দিন"]),
    variants(&["Shah"], &["শাহ"]),
];

pub(super) const GIRL_SURNAMES: &[NameVariants] = &[
    variants(&["Begum"], &["বেগম"]),
    variants(&["Khatun", "Khatoon"], &["খাতুন"]),
    variants(&["Akter", "Akhter", "Akther"], &["আক্তার", "আখতার"]),
    variants(&["Bibi"], &["বিবি"]),
];

pub(super) const MYANMAR_ADDRESSES: [&str; 4] = [
    "Maungdaw, Rakhine State, Myanmar",
    "Buthidaung, Rakhine State, Myanmar",
    "Rathedaung, Rakhine State, Myanmar",
    "Whereabouts unknown",
];

/// A free text as an (English, Bangla) pair. Caseworkers whose interface is Bangla mostly write
/// the Bangla one.
pub(super) type Bilingual = (&'static str, &'static str);

pub(super) const URGENT_DETAILS: [Bilingual; 3] = [
    (
        "Child was found alone near the food distribution point at night.",
        "রাতে খাদ্য বিতরণ কেন্দ্রের কাছে শিশুটিকে একা পাওয়া গেছে।",
    ),
    (
        "Neighbours report that the child is beaten at home almost every day.",
        "প্রতিবেশীরা জানিয়েছেন শিশুটিকে প্রায় প্রতিদিন বাড়িতে মারধর করা হয়।",
    ),
    ("Child has a fever and has not eaten for two days.", "শিশুটির জ্বর এবং দুই দিন ধরে কিছু খায়নি।"),
];

pub(super) const CONCERN_DETAILS: [Bilingual; 4] = [
    (
        "Referred by the block majhi after a community meeting.",
        "কমিউনিটি মিটিংয়ের পর ব্লক মাঝি শিশুটিকে পাঠিয়েছেন।",
    ),
    (
        "Identified during a home visit by the community outreach volunteer.",
        "কমিউনিটি স্বেচ্ছাসেবকের বাড়ি পরিদর্শনের সময় চিহ্নিত।",
    ),
    (
        "Caregiver came to the child friendly space to ask for help.",
        "অভিভাবক সাহায্যের জন্য শিশুবান্ধব কেন্দ্রে এসেছিলেন।",
    ),
    (
        "Learning centre teacher noticed the child stopped attending.",
        "লার্নিং সেন্টারের শিক্ষক লক্ষ করেছেন শিশুটি আর আসছে না।",
    ),
];

pub(super) const OTHER_CONCERNS: [Bilingual; 2] = [
    ("Lives next to a drug selling point", "মাদক বিক্রির জায়গার পাশে থাকে"),
    ("Shelter destroyed in a landslide", "ভূমিধসে ঘর ভেঙে গেছে"),
];

pub(super) const DISABILITY_NEEDS: [Bilingual; 2] = [
    ("Needs a wheelchair to reach the learning centre.", "লার্নিং সেন্টারে যেতে হুইলচেয়ার প্রয়োজন।"),
    ("Needs regular physiotherapy sessions.", "নিয়মিত ফিজিওথেরাপি প্রয়োজন।"),
];

pub(super) const WITHHOLDING_REASONS: [Bilingual; 2] = [
    (
        "Caregiver fears that other agencies will share the information with the majhi.",
        "অভিভাবক ভয় পান অন্য সংস্থা তথ্য মাঝির সাথে শেয়ার করবে।",
    ),
    ("Child asked that nothing be shared for now.", "শিশু আপাতত কিছু শেয়ার না করতে বলেছে।"),
];

pub(super) const SEPARATION_PLACES: [Bilingual; 4] = [
    ("Balukhali border crossing", "বালুখালী সীমান্ত"),
    ("Kutupalong market", "কুতুপালং বাজার"),
    ("Maungdaw, Myanmar", "মংডু, মিয়ানমার"),
    ("Water point in the camp", "ক্যাম্পের পানির কল"),
];

pub(super) const SEPARATION_CIRCUMSTANCES: [Bilingual; 3] = [
    (
        "Family was separated in the crowd while crossing the river at night.",
        "রাতে নদী পার হওয়ার সময় ভিড়ের মধ্যে পরিবার থেকে আলাদা হয়ে যায়।",
    ),
    (
        "Mother died; father remarried and left the child with a neighbour.",
        "মা মারা গেছেন; বাবা আবার বিয়ে করে শিশুটিকে প্রতিবেশীর কাছে রেখে গেছেন।",
    ),
    (
        "Parents stayed behind in Myanmar and sent the child with an uncle.",
        "বাবা-মা মিয়ানমারে থেকে গেছেন, শিশুটিকে চাচার সাথে পাঠিয়েছেন।",
    ),
];

pub(super) const CHILD_WISHES: [Bilingual; 2] = [
    ("Wants to live with the mother again.", "আবার মায়ের সাথে থাকতে চায়।"),
    ("Wants to stay with the aunt until the family is found.", "পরিবার পাওয়া পর্যন্ত খালার কাছে থাকতে চায়।"),
];

pub(super) const ASSESSMENT_NOTES: [Bilingual; 3] = [
    ("Needs close monitoring; visit weekly.", "নিবিড় পর্যবেক্ষণ প্রয়োজন; প্রতি সপ্তাহে পরিদর্শন।"),
    ("Child is withdrawn and does not sleep well.", "শিশুটি চুপচাপ থাকে এবং ভালো ঘুমায় না।"),
    ("Caregiver is willing but has no income.", "অভিভাবক আগ্রহী কিন্তু কোনো আয় নেই।"),
];

pub(super) const STRENGTHS: [Bilingual; 3] = [
    ("Close bond with an older sister.", "বড় বোনের সাথে গভীর সম্পর্ক।"),
    ("Attends the learning centre regularly.", "নিয়মিত লার্নিং সেন্টারে যায়।"),
    ("Supportive neighbours in the block.", "ব্লকের প্রতিবেশীরা সহায়ক।"),
];

pub(super) const RISKS: [Bilingual; 3] = [
    ("Works in a tea shop late at night.", "রাতে চায়ের দোকানে কাজ করে।"),
    ("Shelter is far from the nearest lighting.", "ঘর সবচেয়ে কাছের আলো থেকে অনেক দূরে।"),
    ("Family is under pressure to arrange a marriage.", "পরিবারের উপর বিয়ে দেওয়ার চাপ আছে।"),
];

pub(super) const CHILD_VIEWS: [Bilingual; 2] = [
    ("Wants to go back to school and play football.", "আবার পড়তে যেতে আর ফুটবল খেলতে চায়।"),
    ("Feels safe at the child friendly space.", "শিশুবান্ধব কেন্দ্রে নিরাপদ বোধ করে।"),
];

pub(super) const PLAN_GOALS: [Bilingual; 3] = [
    ("Child lives in a safe family environment.", "শিশু নিরাপদ পারিবারিক পরিবেশে থাকবে।"),
    ("Child returns to learning and stops working.", "শিশু আবার পড়াশোনায় ফিরবে এবং কাজ বন্ধ করবে।"),
    (
        "Child's distress decreases and daily functioning improves.",
        "শিশুর মানসিক চাপ কমবে এবং দৈনন্দিন জীবন স্বাভাবিক হবে।",
    ),
];

pub(super) const SERVICE_NOTES: [Bilingual; 2] = [
    ("Caregiver accompanied the child.", "অভিভাবক শিশুর সাথে গিয়েছিলেন।"),
    ("Second session planned next week.", "আগামী সপ্তাহে দ্বিতীয় সেশন।"),
];

pub(super) const FOLLOWUP_COMMENTS: [Bilingual; 4] = [
    ("Child is attending sessions; situation stable.", "শিশু সেশনে আসছে; অবস্থা স্থিতিশীল।"),
    ("Caregiver reports improvement at home.", "অভিভাবক জানান বাড়িতে অবস্থার উন্নতি হয়েছে।"),
    (
        "Child was not at home; neighbour says he works at the market.",
        "শিশু বাড়িতে ছিল না; প্রতিবেশী বলেন সে বাজারে কাজ করে।",
    ),
    ("Risk reviewed with the supervisor.", "সুপারভাইজারের সাথে ঝুঁকি পর্যালোচনা করা হয়েছে।"),
];

pub(super) const CASE_NOTES: [(Bilingual, Bilingual); 3] = [
    (
        ("Phone call with caregiver", "অভিভাবকের সাথে ফোনালাপ"),
        (
            "Caregiver confirmed the appointment at the health post.",
            "অভিভাবক স্বাস্থ্যকেন্দ্রে সাক্ষাতের সময় নিশ্চিত করেছেন।",
        ),
    ),
    (
        ("Case conference", "কেস কনফারেন্স"),
        (
            "Discussed the case with the supervisor and the health focal point.",
            "সুপারভাইজার ও স্বাস্থ্য ফোকাল পয়েন্টের সাথে কেস আলোচনা।",
        ),
    ),
    (
        ("Block visit", "ব্লক পরিদর্শন"),
        ("Met the majhi about safety near the shelter.", "ঘরের কাছের নিরাপত্তা নিয়ে মাঝির সাথে দেখা।"),
    ),
];

pub(super) const OTHER_CLOSURE_REASONS: [Bilingual; 2] = [
    ("Relocated to Bhasan Char with family", "পরিবারের সাথে ভাসানচরে স্থানান্তর"),
    ("Case merged with a sibling's case", "ভাইবোনের কেসের সাথে একত্র করা হয়েছে"),
];

pub(super) const CLOSURE_ASSESSMENTS: [Bilingual; 3] = [
    ("Case plan goals met; child safe with caregiver.", "কেস পরিকল্পনার লক্ষ্য পূরণ; শিশু অভিভাবকের সাথে নিরাপদ।"),
    (
        "No protection concern remains after three follow-up visits.",
        "তিনটি ফলো-আপের পর আর কোনো সুরক্ষা ঝুঁকি নেই।",
    ),
    ("Family moved; contact lost despite repeated visits.", "পরিবার চলে গেছে; বারবার গিয়েও যোগাযোগ হয়নি।"),
];
