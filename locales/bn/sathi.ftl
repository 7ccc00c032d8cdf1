# ব্যবহারকারী যে বার্তা পড়েন, বাংলা। প্রতিটি id ইংরেজি ফাইলেও থাকতে হবে; একটি পরীক্ষা দুটি ফাইল মিলিয়ে দেখে।

## একটি ঘরের ত্রুটি।

error-required = এই ঘরটি পূরণ করা আবশ্যক। পূরণ করে আবার সংরক্ষণ করুন।
error-unknown_field = এই ফর্মে এমন কোনো ঘর নেই। ফর্মটি আবার খুলে চেষ্টা করুন।
error-form_not_writable = আপনার ভূমিকায় এই ফর্ম পরিবর্তনের অনুমতি নেই। পরিবর্তন প্রয়োজন হলে আপনার সুপারভাইজারকে জানান।
error-read_only_field = এই ঘরটি সাথী নিজে পূরণ করে; এখানে লেখা যায় না।
error-too_long = লেখাটি খুব দীর্ঘ: সর্বোচ্চ { $max }টি অক্ষর।
error-invalid_type = মানটির ধরন ভুল; এখানে { $expected } দিতে হবে।
error-invalid_number = এটি কোনো সংখ্যা নয়। শুধু অঙ্ক লিখুন, যেমন ৭ বা ১২.৫।
error-not_whole_number = ভগ্নাংশ ছাড়া একটি পূর্ণ সংখ্যা লিখুন।
error-below_min = সংখ্যাটি খুব ছোট: কমপক্ষে { $min } হতে হবে।
error-above_max = সংখ্যাটি খুব বড়: সর্বোচ্চ { $max } হতে পারে।
error-mixed_digit_scripts = এই মানে ভিন্ন ভিন্ন লিপির অঙ্ক মেশানো হয়েছে ({ $scripts })। সব অঙ্ক বাংলায় অথবা সব ইংরেজিতে লিখুন।
error-digit_script_not_accepted = এই অঙ্কগুলো ({ $scripts }) এখানে গ্রহণযোগ্য নয়। অঙ্ক বাংলায় বা ইংরেজিতে লিখুন।
error-invalid_date_format = এটি বছর-মাস-দিন আকারের তারিখ নয়, যেমন ২০১৭-০৬-১৫।
error-impossible_date = ক্যালেন্ডারে এই তারিখ নেই। দিন ও মাস যাচাই করুন।
error-date_in_future = এই তারিখটি ভবিষ্যতের। তারিখ আজ ({ $today }) বা তার আগের হতে হবে।
error-unknown_option = "{ $value }" কোনো বিকল্প নয়। এগুলোর একটি বেছে নিন: { $allowed }।
error-invalid_tally = "{ $option }"-এর সংখ্যা ০ বা তার বেশি পূর্ণ সংখ্যা হতে হবে।
error-unknown_location = "{ $value }" কোনো পরিচিত স্থান নয়। তালিকা থেকে একটি স্থান বেছে নিন।
error-location_too_coarse = আরও নির্দিষ্ট স্থান বেছে নিন: অন্তত { $min_level }।
error-invalid_row_id = এই সারির আইডি সঠিক নয়। কেসটি আবার খুলে চেষ্টা করুন।
error-row_not_found = এই সারিটি আর নেই; হয়তো কেউ সরিয়ে ফেলেছেন। কেসটি আবার খুলুন।

## পুরো অনুরোধের ত্রুটি।

error-validation_failed = কয়েকটি ঘর সংশোধন করতে হবে। কিছুই সংরক্ষণ করা হয়নি।
error-not_found = পাওয়া যায়নি। এটি নেই, অথবা এতে আপনার প্রবেশাধিকার নেই।
error-unauthenticated = আপনার সেশন শেষ হয়েছে। আবার লগইন করুন।
error-invalid_credentials = ব্যবহারকারীর নাম বা পাসওয়ার্ড ভুল।
error-account_locked = অনেকবার ভুল লগইনের কারণে এই অ্যাকাউন্ট { $until } পর্যন্ত বন্ধ। আগে খুলতে চাইলে আপনার অ্যাডমিনিস্ট্রেটরকে বলুন।
error-forbidden = আপনার ভূমিকায় এই কাজের অনুমতি নেই।
error-version_conflict = একই সময়ে অন্য কেউ এই কেসটি পরিবর্তন করেছেন। কেসটি আবার খুলে চেষ্টা করুন।
error-invalid_request = অনুরোধটি সঠিক নয়। API বিবরণের সাথে মিলিয়ে দেখে আবার পাঠান।
error-request_case_id_used = অন্য একটি কেসের এই কেস আইডি আগেই আছে। নতুন কেসটি আইডি ছাড়া পাঠান, সাথী নিজেই একটি আইডি দেবে।
error-request_too_many_ids = একবারে সর্বোচ্চ { $max }টি বিজ্ঞপ্তি চিহ্নিত করা যায়। কম আইডি পাঠান, অথবা "all": true পাঠান।
error-request_ids_or_all = কোন বিজ্ঞপ্তিগুলো চিহ্নিত করবেন তা জানান: আইডিসহ "ids" পাঠান, অথবা "all": true পাঠান।
error-request_username_characters = ইউজার নেমে শুধু a থেকে z অক্ষর, 0 থেকে 9 অঙ্ক, ".", "_" ও "-" ব্যবহার করা যায়। অন্য একটি ইউজার নেম বেছে নিন।
error-request_upload_offset = Upload-Offset হেডারে বাইটের একটি পূর্ণ সংখ্যা দিতে হবে, ০ বা তার বেশি।
error-request_attachment_size = ফাইলের আকার অন্তত ১ বাইট হতে হবে। খালি নয় এমন একটি ফাইল বেছে নিন।
error-request_attachment_sha256 = ফাইলের SHA-256 চেকসাম ৬৪টি হেক্সাডেসিমেল অঙ্কের হতে হবে।
error-request_filter_unreadable = এক্সপোর্টের ফিল্টার পড়া যাচ্ছে না। প্রতিটি ফিল্টার লেখা হিসেবে পাঠান, যেমন "risk_level": "high"।
error-request_file_incomplete = ফাইলটি পুরোপুরি পৌঁছায়নি। সংযোগ যাচাই করে ফাইলটি আবার আপলোড করুন।
error-request_file_unreadable = ফাইলটি পড়া যাচ্ছে না। ফাইলটি আছে কি না এবং সাথী সেটি পড়তে পারে কি না যাচাই করুন।
error-request_not_json = অনুরোধের বডি JSON হিসেবে পাঠান, "Content-Type: application/json" হেডারসহ।
error-request_json_invalid = অনুরোধের বডি সঠিক JSON নয়। বন্ধনী, উদ্ধৃতিচিহ্ন ও কমা যাচাই করুন।
error-request_field_missing = অনুরোধে "{ $field }" নেই। এটি যোগ করে আবার পাঠান।
error-request_field_unknown = "{ $field }" এই অনুরোধের অংশ নয়। এটি বাদ দিন, অথবা বানান যাচাই করুন।
error-request_value_unknown = "{ $field }"-এর জন্য "{ $value }" চলবে না। এগুলোর একটি ব্যবহার করুন: { $allowed }।
error-request_value_not_allowed = "{ $value }" এখানে চলবে না। এগুলোর একটি ব্যবহার করুন: { $allowed }।
error-request_field_unreadable = "{ $field }"-এর মান পড়া যাচ্ছে না। API বিবরণের সাথে এর ধরন ও গঠন মিলিয়ে দেখে আবার পাঠান।
error-request_unreadable = অনুরোধটি পড়া যাচ্ছে না। API বিবরণের সাথে মিলিয়ে দেখে আবার পাঠান।
error-invalid_age_range = সর্বোচ্চ বয়স ({ $max }) সর্বনিম্ন বয়সের ({ $min }) চেয়ে কম। দুটি বদলে দিন বা পরিসর বাড়ান।
error-invalid_filter = "{ $name }" ফিল্টারের মান "{ $value }" সঠিক নয়।
error-unknown_filter = "{ $name }" কেস তালিকার কোনো ফিল্টার নয়। ফিল্টারগুলো হলো: { $allowed }।
error-invalid_parameter = "{ $name }" প্যারামিটারের মান "{ $value }" হতে পারে না। এগুলোর একটি ব্যবহার করুন: { $allowed }।
error-query_out_of_range = "{ $name }" প্যারামিটারের মান { $value }, কিন্তু এটি { $min } থেকে { $max }-এর মধ্যে হতে হবে।
error-query_below_min = "{ $name }" প্যারামিটারের মান { $value }, কিন্তু এটি { $min } বা তার বেশি হতে হবে।
error-internal_error = সার্ভারে একটি সমস্যা হয়েছে। কিছুই হারায়নি; আবার চেষ্টা করুন, বারবার হলে অ্যাডমিনিস্ট্রেটরকে জানান। রেফারেন্স: { $reference }
error-password_too_short = পাসওয়ার্ডটি খুব ছোট: কমপক্ষে { $min }টি অক্ষর ব্যবহার করুন।
error-username_taken = এই ব্যবহারকারীর নাম আগেই নেওয়া হয়েছে। অন্য একটি বেছে নিন।
error-unknown_role = "{ $value }" এই ব্যবস্থার কোনো ভূমিকা নয়।
error-unknown_agency = "{ $value }" এই ব্যবস্থার কোনো সংস্থা নয়।
error-unknown_locale = "{ $value }" এই ব্যবস্থার কোনো ভাষা নয়। এগুলোর একটি দিন: { $allowed }।
error-already_closed = এই কেসটি আগেই বন্ধ করা হয়েছে।
error-not_closed = এই কেসটি বন্ধ নয়, তাই আবার খোলা যাবে না।
error-closure_reason_required = কেস বন্ধ করার আগে বন্ধের কারণ লিখুন।
error-closure_approval_required = শুধু যে সুপারভাইজার এই কেস বন্ধের অনুমোদন দিতে পারেন, তিনিই কেসটি সরাসরি বন্ধ করতে পারেন। কেস বন্ধের ফর্মে কারণ লিখুন এবং কেস বন্ধের অনুমোদন চান।

## error-invalid_type-এ উল্লিখিত মানের ধরন।

type-text = লেখা
type-number = একটি সংখ্যা
type-date = একটি তারিখ
type-date_time = তারিখ ও সময়
type-option = একটি বিকল্প
type-options = বিকল্পের তালিকা
type-yes_no = হ্যাঁ বা না
type-rows = সারির তালিকা
type-row = একটি সারি
type-attachments = সংযুক্তির তালিকা
type-attachment = একটি সংযুক্তি
type-location = একটি স্থান
type-tally = প্রতিটি বিকল্পের সংখ্যা

## error-location_too_coarse-এ উল্লিখিত স্থানের স্তর।

level-country = দেশ
level-division = বিভাগ
level-district = জেলা
level-upazila = উপজেলা
level-camp = ক্যাম্প
level-union = ইউনিয়ন
level-block = ব্লক

## error-mixed_digit_scripts ও error-digit_script_not_accepted-এ উল্লিখিত অঙ্কের লিপি।

script-ascii = ইংরেজি
script-bengali = বাংলা
script-devanagari = দেবনাগরী
script-arabic_indic = আরবি
script-extended_arabic_indic = ফারসি
script-myanmar = বর্মি
script-other = অন্য লিপি

## Attachments: photos, audio, documents and signatures.

error-not_an_attachment_field = এই ঘরে ফাইল যোগ করা যায় না, অথবা আপনার ভূমিকায় এই ফর্ম পরিবর্তনের অনুমতি নেই।
error-attachment_too_large = ফাইলটি খুব বড়। সর্বোচ্চ { $max_mb } এমবি পর্যন্ত ফাইল দেওয়া যায়।
error-attachment_type_not_allowed = এখানে এই ধরনের ফাইল নেওয়া হয় না। ছবি ও স্বাক্ষরের ঘরে ছবি, নথির ঘরে ছবি বা পিডিএফ, আর অডিওর ঘরে অডিও দিন।
error-attachment_id_taken = এই সংযুক্তি আইডি অন্য একটি ফাইলে ব্যবহৃত হয়েছে। ফাইলটি আবার যোগ করুন।
error-chunk_content_type = ফাইলের প্রতিটি অংশ application/offset+octet-stream হিসেবে পাঠাতে হবে।
error-chunk_too_large = ফাইলের একটি অংশ সর্বোচ্চ { $max_kib } কিবি হতে পারে।
error-chunk_past_end = এই অংশটি ফাইলের নিবন্ধিত আকারের বাইরে চলে যায়।
error-hash_mismatch = ফাইলটি ক্ষতিগ্রস্ত অবস্থায় পৌঁছেছে, তাই সার্ভার এটি বাদ দিয়েছে। এটি আবার শুরু থেকে পাঠানো হবে।
error-upload_offset_mismatch = সার্ভারে এই ফাইলের { $received } বাইট আছে। সেখান থেকে পাঠানো চালিয়ে যান।
error-attachment_already_verified = সার্ভার এই পুরো ফাইলটি আগেই পেয়েছে ও যাচাই করেছে।
error-attachment_not_verified = এই ফাইলের আপলোড এখনো শেষ হয়নি। পরে আবার চেষ্টা করুন।

## সিঙ্ক: ডিভাইসের পরিবর্তনের ফল, অমিল এবং নিষ্ক্রিয় অ্যাকাউন্টের পরিবর্তন।

error-account_disabled = { $count ->
    [0] এই অ্যাকাউন্টটি নিষ্ক্রিয় করা হয়েছে। আপনার সুপারভাইজারের সাথে যোগাযোগ করুন।
   *[other] এই অ্যাকাউন্টটি নিষ্ক্রিয় করা হয়েছে। এই ডিভাইসের { $count }টি পরিবর্তন আপনার সুপারভাইজারের পর্যালোচনার জন্য সংরক্ষিত রাখা হয়েছে।
}
error-account_disabled_unsent = এই অ্যাকাউন্টটি নিষ্ক্রিয় করা হয়েছে। ইন্টারনেট সংযোগসহ সাথী খুলুন, যাতে ফোনটি না-পাঠানো পরিবর্তনগুলো আপনার সুপারভাইজারের কাছে পাঠাতে পারে।
error-record_unavailable = এই কেসটি এখন আর আপনার কাছে নেই, তাই আপনার পরিবর্তন সংরক্ষণ করা হয়নি। কেসটি হস্তান্তর করা হয়েছে, অথবা আপনার প্রবেশাধিকার বদলেছে।
error-not_permitted = আপনার ভূমিকায় এই পরিবর্তনের অনুমতি নেই, তাই এটি সংরক্ষণ করা হয়নি।
error-invalid = এই পরিবর্তনের একটি তথ্য সঠিক নয়, তাই এর কিছুই সংরক্ষণ করা হয়নি।
error-device_mismatch = এই ডিভাইসটি অন্য একজন ব্যবহারকারীর নামে নিবন্ধিত, তাই এর পরিবর্তন সংরক্ষণ করা হয়নি। লগআউট করে আবার লগইন করুন।
error-sequence_used = এই ডিভাইস থেকে একই নম্বরের আরেকটি পরিবর্তন সার্ভার আগেই পেয়েছে, তাই এটি সংরক্ষণ করা হয়নি।
error-sequence_out_of_range = এই ডিভাইসের আগের { $max }টির বেশি পরিবর্তন এখনও সার্ভারে পৌঁছায়নি, তাই এই পরিবর্তনটি সংরক্ষণ করা হয়নি। আগের পরিবর্তনগুলো আগে পাঠাতে আবার সিঙ্ক করুন।
error-too_many_deferred = আপনার ডিভাইসগুলোর যে { $max }টি পরিবর্তন আগের পরিবর্তনের অপেক্ষায় আছে, সেগুলো সার্ভারে আগে থেকেই রাখা আছে, তাই এই পরিবর্তনটি সংরক্ষণ করা হয়নি। আগের পরিবর্তনগুলো আগে পাঠাতে আবার সিঙ্ক করুন।
error-deferred_too_large = এই পরিবর্তনটি { $max } KiB-এর চেয়ে বড় এবং এই ডিভাইসের আগের পরিবর্তনগুলোর আগেই পৌঁছেছে, তাই সংরক্ষণ করা হয়নি। আগের পরিবর্তনগুলো আগে পাঠাতে আবার সিঙ্ক করুন।
error-invalid_base_version = এই পরিবর্তনটি সংরক্ষণ করা হয়নি, কারণ এতে কেসের এমন কোনো সংস্করণের উল্লেখ নেই যা সার্ভারে আছে। আবার সিঙ্ক করুন, তারপর পরিবর্তনটি আবার করুন।
error-kept_aside = আপনার অ্যাকাউন্ট নিষ্ক্রিয় থাকার সময় এই পরিবর্তনটি আপনার সুপারভাইজারের জন্য আলাদা করে রাখা হয়েছিল, তাই এটি আবার সংরক্ষণ করা হয়নি। এটি প্রয়োগ করা হবে কি না, তা আপনার সুপারভাইজার ঠিক করবেন।
error-payload_too_large = অনুরোধটি সার্ভারের গ্রহণযোগ্য সর্বোচ্চ আকার { $max_mb } MB-এর চেয়ে বড়। একবারে কম পরিবর্তন পাঠান।
error-too_many_mutations = একবারে সর্বোচ্চ { $max }টি পরিবর্তন পাঠানো যায়।
error-invalid_limit = প্রতি উত্তরে কেসের সংখ্যা ১ থেকে { $max } এর মধ্যে হতে হবে।
error-too_many_ids = একবারে সর্বোচ্চ { $max }টি কেস চাওয়া যায়।
error-conflict_resolved = এই অমিলটি অন্য কেউ আগেই মীমাংসা করেছেন। রাখা তথ্যটি দেখতে কেসটি আবার খুলুন।
error-already_reviewed = এই পরিবর্তনটি অন্য কেউ আগেই প্রয়োগ বা বাতিল করেছেন।
error-reason_required = এই পরিবর্তন বাতিলের একটি কারণ লিখুন।
error-invalid_owner = নতুন দায়িত্বপ্রাপ্ত ব্যক্তিকে কেসের সংস্থার একজন সক্রিয় ব্যবহারকারী হতে হবে।

# Referrals and transfers
error-consent_missing = অন্য সংস্থার সাথে তথ্য শেয়ারের সম্মতি এই কেসে লেখা নেই। আগে সম্মতি ফর্মে শিশু বা অভিভাবকের সম্মতি লিখুন, অথবা কারণসহ শেয়ার করার জন্য সুপারভাইজারকে অনুরোধ করুন।
error-referral_pending = একই সংস্থায় একই সেবার জন্য এই কেসের একটি রেফারেল এখনো অপেক্ষমাণ ({ $id })। এর উত্তরের অপেক্ষা করুন, অথবা আগে সেটি প্রত্যাহার করুন।
error-transfer_pending = এই কেসের একটি হস্তান্তর অপেক্ষমাণ ({ $id })। এর উত্তরের অপেক্ষা করুন, অথবা আগে সেটি প্রত্যাহার করুন।
error-not_owner_since = { $date } তারিখ { $time } সময়ে এই কেসটি অন্য দায়িত্বপ্রাপ্ত ব্যক্তির কাছে হস্তান্তর করা হয়েছে, তাই আপনি আর এটি পরিবর্তন করতে পারবেন না। আপনার পরিবর্তন সংরক্ষণ করা হয়নি।
error-not_owner_since_kept = { $date } তারিখ { $time } সময়ে এই কেসটি অন্য দায়িত্বপ্রাপ্ত ব্যক্তির কাছে হস্তান্তর করা হয়েছে, তাই আপনি আর এটি পরিবর্তন করতে পারবেন না। আপনার পরিবর্তন কেসে যোগ করা হয়নি; আপনার সুপারভাইজারের পর্যালোচনার জন্য এটি আলাদা করে রাখা হয়েছে।
error-invalid_recipient = তালিকা থেকে একটি সংস্থা বেছে নিন, আর কোনো ব্যক্তির নাম দিলে সেই সংস্থার এমন একজন সক্রিয় ব্যবহারকারী বেছে নিন যিনি এটি গ্রহণ করতে পারেন।
error-invalid_service = "{ $value }" সেবার তালিকায় নেই।
error-invalid_shared_forms = "{ $value }" এই ব্যবস্থার কোনো ফর্ম নয়।
error-decision_reason_required = এই সিদ্ধান্তের একটি কারণ লিখুন।
error-case_closed = এই কেসটি বন্ধ, তাই রেফারেল বা হস্তান্তরটি আর গ্রহণ করা যাবে না। এটি প্রত্যাখ্যান করুন, অথবা আগে কেসটি আবার খোলার জন্য কেসের দায়িত্বপ্রাপ্ত ব্যক্তিকে অনুরোধ করুন।
error-consent_withdrawn = অন্য সংস্থার সাথে তথ্য শেয়ারের সম্মতি এই কেসে আর লেখা নেই, তাই এই রেফারেল বা হস্তান্তর আর গ্রহণ করা যাবে না। এটি প্রত্যাখ্যান করুন, অথবা আবার সম্মতি লেখার জন্য কেসের দায়িত্বপ্রাপ্ত ব্যক্তিকে অনুরোধ করুন।
error-no_receivers = এই সংস্থার কেউ এটি গ্রহণ করতে পারেন না। একজন ব্যক্তি বা অন্য কোনো সংস্থা বেছে নিন, অথবা কোনো ব্যবহারকারীকে এই ভূমিকা দেওয়ার জন্য সংস্থার প্রশাসককে অনুরোধ করুন।
error-id_reused = অন্য একটি অনুরোধ এই আইডি ভিন্ন তথ্যসহ আগেই ব্যবহার করেছে, তাই কিছুই সংরক্ষণ করা হয়নি। অনুরোধটি নতুন করে আবার করুন।

# Tasks, approvals and notifications
error-state_changed = অন্য কেউ আগেই এতে সিদ্ধান্ত নিয়েছেন। এটি এখন { $status ->
    [pending] অপেক্ষমাণ
    [approved] অনুমোদিত
    [rejected] প্রত্যাখ্যাত
    [withdrawn] প্রত্যাহার করা
    [accepted] গৃহীত
    [done] সম্পন্ন
    [revoked] বাতিল করা
    [ended] শেষ করা
   *[other] পরিবর্তিত
}। কী হয়েছে দেখতে এটি আবার খুলুন।
error-approval_pending = এই ধরনের একটি অনুমোদনের অনুরোধ এখনো সিদ্ধান্তের অপেক্ষায় আছে ({ $id })। সিদ্ধান্তের অপেক্ষা করুন, অথবা আগে সেই অনুরোধটি প্রত্যাহার করুন।
error-state_changed_version = আপনি খোলার পর এটি বদলে গেছে। পাতাটি আবার লোড করে আবার চেষ্টা করুন।
error-assessment_not_completed-decision = অনুরোধ করার পর মূল্যায়ন সম্পন্ন হওয়ার তারিখ মুছে ফেলা হয়েছে, তাই মূল্যায়ন অনুমোদন করা যাবে না। মন্তব্যসহ অনুরোধটি প্রত্যাখ্যান করুন, অথবা তারিখটি লিখতে কেসকর্মীকে বলুন।
error-case_plan_empty-decision = কেস পরিকল্পনায় এখন কোনো কার্যক্রম নেই, তাই এটি অনুমোদন করা যাবে না। মন্তব্যসহ অনুরোধটি প্রত্যাখ্যান করুন, অথবা একটি কার্যক্রম যোগ করতে কেসকর্মীকে বলুন।
error-closure_reason_missing-decision = অনুরোধ করার পর কেস বন্ধের কারণ মুছে ফেলা হয়েছে, তাই কেস বন্ধ অনুমোদন করা যাবে না। মন্তব্যসহ অনুরোধটি প্রত্যাখ্যান করুন, অথবা কারণটি বেছে নিতে কেসকর্মীকে বলুন।
error-closure_blocked = কোনো রেফারেল অপেক্ষমাণ বা গৃহীত থাকলে, অথবা কোনো হস্তান্তর অপেক্ষমাণ থাকলে কেসটি বন্ধ করা যাবে না ({ $ids })। আগে কেসে সেগুলো শেষ বা প্রত্যাহার করুন, তারপর কেস বন্ধ অনুমোদন করুন।
error-assessment_not_completed = অনুমোদন চাওয়ার আগে মূল্যায়ন সম্পন্ন হওয়ার তারিখ লিখুন।
error-case_plan_empty = অনুমোদন চাওয়ার আগে কেস পরিকল্পনায় অন্তত একটি কার্যক্রম যোগ করুন।
error-closure_reason_missing = কেস বন্ধের অনুমোদন চাওয়ার আগে কেস বন্ধ ফর্মে বন্ধের কারণ বেছে নিন।
error-comment_required = অনুরোধটি কেন প্রত্যাখ্যান করা হচ্ছে এবং কী বদলাতে হবে, তা মন্তব্যে লিখুন।
error-own_approval = নিজের অনুরোধে আপনি সিদ্ধান্ত দিতে পারবেন না। এই কেস অনুমোদনের দায়িত্ব আছে এমন অন্য একজন সুপারভাইজারকে সিদ্ধান্ত দিতে হবে। এমন কেউ না থাকলে কাউকে এই ভূমিকা দেওয়ার জন্য সংস্থার প্রশাসককে অনুরোধ করুন।
error-text_too_long = { $field ->
    [comment] মন্তব্যটি অনেক বড়।
    [flag_text] ফ্ল্যাগের লেখাটি অনেক বড়।
    [note] নোটটি অনেক বড়।
    [reason] কারণটি অনেক বড়।
   *[other] লেখাটি অনেক বড়।
} সর্বোচ্চ { $max }টি অক্ষর লেখা যায়। লেখাটি ছোট করে আবার চেষ্টা করুন।
error-flag_text_required = ফ্ল্যাগের লেখাটি লিখুন।
error-flag_reason_required = এই ফ্ল্যাগটি সরানোর কারণ লিখুন।
error-reopen_reason_required = কেসটি আবার খোলার কারণ লিখুন।
approval-kind-assessment = মূল্যায়ন
approval-kind-case_plan = কেস পরিকল্পনা
approval-kind-closure = কেস বন্ধ
notification-someone = একজন ব্যবহারকারী
notification-referral_received-title = নতুন রেফারেল
notification-referral_received-body = { $actor } কেস { $case } আপনার কাছে রেফার করেছেন।
notification-referral_accepted-title = রেফারেল গৃহীত
notification-referral_accepted-body = { $actor } কেস { $case }-এর রেফারেল গ্রহণ করেছেন।
notification-referral_rejected-title = রেফারেল প্রত্যাখ্যাত
notification-referral_rejected-body = { $actor } কেস { $case }-এর রেফারেল প্রত্যাখ্যান করেছেন।
notification-referral_revoked-title = রেফারেল বাতিল
notification-referral_revoked-body = { $actor } কেস { $case }-এর রেফারেল বাতিল করেছেন। কেসটি আর আপনার সাথে শেয়ার করা নেই।
notification-referral_done-title = রেফারেল সম্পন্ন
notification-referral_done-body = { $actor } কেস { $case }-এর রেফারেল সম্পন্ন হিসেবে চিহ্নিত করেছেন।
notification-referral_ended-title = রেফারেল শেষ
notification-referral_ended-body = { $actor } কেস { $case }-এর রেফারেল শেষ করেছেন। কেসটি আর আপনার সাথে শেয়ার করা নেই।
notification-referral_ended_by_transfer-title = রেফারেল শেষ
notification-referral_ended_by_transfer-body = { $actor } আপনার রেফারেলের প্রাপকের কাছে কেস { $case }-এর হস্তান্তর গ্রহণ করেছেন, তাই রেফারেলটি শেষ হয়েছে। প্রাপক এখন কেসটির দায়িত্বে আছেন।
notification-transfer_received-title = কেস হস্তান্তর
notification-transfer_received-body = { $actor } কেস { $case } আপনার কাছে হস্তান্তর করতে চান।
notification-transfer_accepted-title = হস্তান্তর গৃহীত
notification-transfer_accepted-body = { $actor } কেস { $case }-এর হস্তান্তর গ্রহণ করেছেন।
notification-transfer_rejected-title = হস্তান্তর প্রত্যাখ্যাত
notification-transfer_rejected-body = { $actor } কেস { $case }-এর হস্তান্তর প্রত্যাখ্যান করেছেন।
notification-transfer_revoked-title = হস্তান্তর বাতিল
notification-transfer_revoked-body = { $actor } কেস { $case }-এর হস্তান্তর বাতিল করেছেন।
notification-transfer_request_received-title = হস্তান্তরের অনুরোধ
notification-transfer_request_received-body = { $actor } কেস { $case } তাঁর কাছে হস্তান্তরের অনুরোধ করেছেন।
notification-approval_requested-title = অনুমোদনের অনুরোধ
notification-approval_requested-body = { $actor } কেস { $case }-এর { $approval } অনুমোদনের অনুরোধ করেছেন।
notification-approval_approved-title = অনুরোধ অনুমোদিত
notification-approval_approved-body = { $actor } কেস { $case }-এর { $approval } অনুমোদন করেছেন।
notification-approval_rejected-title = অনুরোধ প্রত্যাখ্যাত
notification-approval_rejected-body = { $actor } কেস { $case }-এর { $approval } অনুমোদন করেননি। মন্তব্যটি আপনার কাজের তালিকায় আছে।
notification-case_assigned-title = আপনাকে কেস দেওয়া হয়েছে
notification-case_assigned-body = { $actor } কেস { $case } আপনার দায়িত্বে দিয়েছেন।

# Push
error-push_disabled = এই সার্ভার ফোনে বিজ্ঞপ্তি পাঠায় না।
error-push_endpoint_not_allowed = এই ব্রাউজারের পুশ সার্ভিসের ঠিকানা অনুমোদিত নয়। বিজ্ঞপ্তি অ্যাপের ভেতরে দেখা যাবে।
error-push_keys_invalid = ব্রাউজার ভুল পুশ কী পাঠিয়েছে। এই ফোনে বিজ্ঞপ্তি বন্ধ করে আবার চালু করুন।

# Reports
error-invalid_report = রিপোর্টের "{ $name }" সেটিংয়ের মান "{ $value }" সঠিক নয়।
error-report_whole_months = সংস্থার বাইরে শেয়ার করা টেবিলে পুরো মাস গোনা হয়, যাতে দুটি টেবিল মিলিয়ে কোনো শিশুকে চেনা না যায়। "{ $name }"-এ শুরুর তারিখ হলে মাসের প্রথম দিন দিন, শেষের তারিখ বা গণনার তারিখ হলে মাসের শেষ দিন দিন (গণনার তারিখ আজও হতে পারে)। "{ $value }" এর কোনোটিই নয়।
report-not-recorded = উল্লেখ নেই
report-other-ages = অন্যান্য বয়স
report-status-open = চলমান
report-status-closed = বন্ধ
report-month-1 = জানুয়ারি
report-month-2 = ফেব্রুয়ারি
report-month-3 = মার্চ
report-month-4 = এপ্রিল
report-month-5 = মে
report-month-6 = জুন
report-month-7 = জুলাই
report-month-8 = আগস্ট
report-month-9 = সেপ্টেম্বর
report-month-10 = অক্টোবর
report-month-11 = নভেম্বর
report-month-12 = ডিসেম্বর
report-dimension-camp = ক্যাম্প
report-dimension-concern = সুরক্ষা উদ্বেগ
report-dimension-sex = লিঙ্গ
report-dimension-age_range = বয়স
report-dimension-agency = সংস্থা
report-dimension-month = মাস
report-dimension-risk_level = ঝুঁকির মাত্রা
report-dimension-stage = ধাপ
report-dimension-status = অবস্থা
report-dimension-service = সেবা
report-dimension-to_agency = গ্রহণকারী সংস্থা
report-dimension-from_agency = রেফারকারী সংস্থা
report-measure-cases = কেস
report-measure-referrals = রেফারেল
report-as-of = হিসাবের তারিখ { $date }
report-suppression-note = ১ থেকে { $max } পর্যন্ত সংখ্যা গোপন রাখা হয়েছে এবং { $marker } হিসেবে দেখানো হয়েছে। যে সংখ্যা থেকে এগুলো হিসাব করে বের করা যেত, সেগুলোও গোপন রাখা হয়েছে।
report-total = মোট
report-section-registered_by_camp_sex = { $month } মাসে নিবন্ধিত শিশু, ক্যাম্প ও লিঙ্গ অনুযায়ী
report-section-registered_by_age_sex = { $month } মাসে নিবন্ধিত শিশু, বয়স ও লিঙ্গ অনুযায়ী
report-section-registered_by_concern_sex = { $month } মাসে নিবন্ধিত শিশু, সুরক্ষা উদ্বেগ ও লিঙ্গ অনুযায়ী
report-section-open_at_month_end_by_risk_sex = { $month } মাসের শেষে চলমান কেস, ঝুঁকির মাত্রা ও লিঙ্গ অনুযায়ী
report-section-closed_by_camp = { $month } মাসে বন্ধ হওয়া কেস, ক্যাম্প অনুযায়ী
report-section-referrals_by_service_agency = { $month } মাসে করা রেফারেল, সেবা ও গ্রহণকারী সংস্থা অনুযায়ী
report-sheet-registered_by_camp_sex = ক্যাম্প অনুযায়ী নিবন্ধন
report-sheet-registered_by_age_sex = বয়স অনুযায়ী নিবন্ধন
report-sheet-registered_by_concern_sex = উদ্বেগ অনুযায়ী নিবন্ধন
report-sheet-open_at_month_end_by_risk_sex = মাস শেষে চলমান কেস
report-sheet-closed_by_camp = ক্যাম্প অনুযায়ী বন্ধ কেস
report-sheet-referrals_by_service_agency = সেবা অনুযায়ী রেফারেল
report-days-median = দিনের মধ্যমা
report-days-p90 = দিনের ৯০তম পার্সেন্টাইল
report-days-cases = পরিমাপ করা কেস

## কনফিগারেশন ও অবস্থানের ফাইল।

error-config_zip_invalid = এই ফাইলটি কনফিগারেশন ফোল্ডারের ZIP আর্কাইভ নয়। কনফিগারেশন এক্সপোর্ট করুন, তার ফাইলগুলো বদলান, তারপর ZIP ফাইলটি আবার আপলোড করুন।
error-config_zip_too_large = এই আর্কাইভ খুললে { $max_mb } MB-এর বেশি হয়, যা কনফিগারেশনের জন্য প্রয়োজনের চেয়ে বেশি। শুধু কনফিগারেশন ফোল্ডারের ZIP ফাইলটি আপলোড করুন।
error-config_file_not_utf8 = { $file } ফাইলটি UTF-8 লেখা নয়। এটি UTF-8 হিসেবে সংরক্ষণ করে ZIP ফাইলটি আবার আপলোড করুন।
error-config_invalid = কনফিগারেশনে { $count }টি সমস্যা আছে, নিচে তালিকা দেওয়া হলো। কিছুই বদলানো হয়নি। ফাইলগুলো ঠিক করে ZIP ফাইলটি আবার আপলোড করুন।
error-config_file_missing = আর্কাইভে { $file } ফাইলটি নেই। কনফিগারেশন এক্সপোর্টে যেমন থাকে, তেমনভাবে ফাইলটি যোগ করুন।
error-config_file_invalid = { $file } ফাইলের { $line } নম্বর লাইনের { $column } নম্বর অক্ষরে ভুল আছে: { $detail }। ঠিক করে আবার আপলোড করুন।
error-config_missing_text = { $path }: '{ $locale }' ভাষায় লেখা নেই। ওই ভাষায় লেখাটি যোগ করুন।
error-config_duplicate_id = { $path }: '{ $id }' আইডিটি একাধিকবার আছে। প্রতিটির জন্য আলাদা আইডি দিন।
error-config_invalid_id = { $path }: '{ $id }' আইডিতে শুধু a-z, 0-9, '_' ও '-' ব্যবহার করা যায়।
error-config_no_locale = { $path }: অন্তত একটি ভাষা দিতে হবে।
error-config_no_english = { $path }: বিকল্প ভাষা হিসেবে ইংরেজি ('en') থাকতে হবে।
error-config_out_of_range = { $path }: মানটি { $min } থেকে { $max }-এর মধ্যে হতে হবে।
error-config_at_least_one = { $path }: মানটি অন্তত ১ হতে হবে।
error-config_no_age_range = { $path }: অন্তত একটি বয়সসীমা দিতে হবে।
error-config_age_range_reversed = { $path }: সর্বনিম্ন { $min } সর্বোচ্চ মানের চেয়ে বড়।
error-config_age_range_after_open = { $path }: এর আগের বয়সসীমার কোনো সর্বোচ্চ মান নেই, তাই দুটি একটির ওপর আরেকটি পড়ে।
error-config_age_range_overlap = { $path }: এটি { $min } থেকে শুরু, কিন্তু আগের সীমা { $max }-এ শেষ। বয়সসীমাগুলো ক্রমানুসারে ও একটির ওপর আরেকটি না পড়ে সাজাতে হবে।
error-config_too_many_days = { $path }: { $days } দিন সর্বোচ্চ { $max } দিনের চেয়ে বেশি।
error-config_timeframe_not_option = { $path }: এটি '{ $lookup }' লুকআপের কোনো বিকল্প নয়।
error-config_no_options = { $path }: একটি লুকআপে অন্তত একটি বিকল্প থাকতে হবে।
error-config_duplicate_location = { $path }: লোকেশনের কোডগুলো আলাদা আলাদা হতে হবে।
error-config_parent_missing = { $path }: শুধু দেশের কোনো parent থাকে না।
error-config_parent_unknown = { $path }: parent '{ $parent }' নেই।
error-config_level_not_below_parent = { $path }: একটি লোকেশনের স্তর তার parent-এর স্তরের নিচে হতে হবে।
error-config_code_prefix = { $path }: কোডটি parent-এর কোড '{ $parent }-' দিয়ে শুরু হতে হবে।
error-config_unknown_service = { $path }: '{ $service }' সেবার ধরনটি অজানা।
error-config_unknown_form = { $path }: '{ $form }' ফর্মটি অজানা।
error-config_duplicate_field = { $path }: সব ফর্ম মিলিয়ে ফিল্ডের আইডিগুলো আলাদা আলাদা হতে হবে।
error-config_unknown_lookup = { $path }: '{ $lookup }' লুকআপটি অজানা।
error-config_empty_subform = { $path }: একটি সাবফর্মে অন্তত একটি ফিল্ড থাকতে হবে।
error-config_row_title_unknown = { $path }: সারির শিরোনামের ফিল্ড '{ $field }' সাবফর্মে নেই।
error-config_nested_subform = { $path }: সাবফর্মের ভেতরে সাবফর্ম রাখা যায় না।
error-config_min_above_max = { $path }: min মানটি max-এর চেয়ে বড়।
error-config_calculation_source = { $path }: হিসাবের উৎস '{ $field }' তারিখের ফিল্ড নয়।
error-config_calculated_not_read_only = { $path }: হিসাব করা ফিল্ডকে read_only করতে হবে।
error-config_system_not_read_only = { $path }: সিস্টেম ফিল্ডকে read_only করতে হবে।
error-config_condition_field_unknown = { $path }: শর্তে অজানা ফিল্ড '{ $field }'-এর উল্লেখ আছে।
error-config_includes_not_multi_select = { $path }: 'includes'-এর জন্য multi_select ফিল্ড লাগে, আর '{ $field }' তা নয়।
error-config_includes_not_option = { $path }: '{ $value }' '{ $lookup }' লুকআপের কোনো বিকল্প নয়।
error-config_duplicate_import_alias = { $path }: ইমপোর্টের বিকল্প কলাম-শিরোনাম '{ $alias }' দিয়ে '{ $field }' ফিল্ডটিকেও বোঝায়। শিরোনামটি কেবল একটি ফিল্ডে রাখুন।
error-invalid_locations_format = "{ $value }" অবস্থান ফাইলের কোনো ফরম্যাট নয়। csv বা json ব্যবহার করুন।
error-locations_invalid = অবস্থানের ফাইলে { $count }টি সমস্যা আছে, নিচে তালিকা দেওয়া হলো। কিছুই বদলানো হয়নি। ফাইলটি ঠিক করে আবার আপলোড করুন।
error-locations_in_use = নতুন কনফিগারেশনে এমন { $count }টি অবস্থান বাদ পড়েছে, যা এখনো কেসের বর্তমান অবস্থান হিসেবে আছে; নিচে তালিকা দেওয়া হলো। কিছুই বদলানো হয়নি। অবস্থানগুলো রাখুন, অথবা আগে ওই কেসগুলো অন্য অবস্থানে সরান।
error-location_in_use = "{ $value }" { $cases }টি কেসের বর্তমান অবস্থান। অবস্থানটি রাখুন, অথবা আগে কেসগুলো সরান।
error-locations_not_utf8 = ফাইলটি UTF-8 লেখা নয়। এটি "CSV UTF-8" বা UTF-8 JSON হিসেবে সংরক্ষণ করে আবার আপলোড করুন।
error-locations_json_invalid = ফাইলটি সঠিক JSON নয়: ভুলটি { $line } নম্বর লাইনের { $column } নম্বর অক্ষরে। ঠিক করে আবার আপলোড করুন।
error-locations_json_not_array = JSON ফাইলে অবস্থানের একটি তালিকা থাকতে হবে, অবস্থান এক্সপোর্ট যেমন লেখে।
error-location_json_not_object = JSON তালিকার { $row } নম্বর এন্ট্রিটি কোনো অবস্থান নয়। প্রতিটি এন্ট্রিতে code, level, parent ও name থাকতে হবে।
error-location_row_length = সারি { $row }-এ { $count }টি ঘর আছে, কিন্তু শিরোনাম সারিতে { $columns }টি কলাম। বাড়তি কমা বা বাদ পড়া ঘর আছে কি না দেখুন।
error-location_row_unreadable = সারি { $row } CSV হিসেবে পড়া যাচ্ছে না: { $detail }। এর উদ্ধৃতিচিহ্নগুলো দেখুন।
error-location_column_duplicate = শিরোনাম সারিতে "{ $column }" কলামটি দুবার আছে। একটি মুছে দিন।
error-location_column_unknown = "{ $column }" অবস্থানের কোনো কলাম নয়। কলামগুলো হলো code, level, parent এবং প্রতিটি ভাষার জন্য একটি name_ কলাম, যেমন name_en ও name_bn।
error-location_key_unknown = এন্ট্রি { $row }-এ অজানা কী "{ $column }" আছে। একটি অবস্থানে শুধু code, level, parent ও name থাকে।
error-location_column_missing = শিরোনাম সারিতে "{ $column }" কলামটি নেই। এটি যোগ করুন: কলামগুলো হলো code, level, parent এবং ডিপ্লয়মেন্টের প্রতিটি ভাষার জন্য একটি name_ কলাম।
error-location_value_not_text = সারি { $row }, কলাম { $column }: মানটি লেখা হতে হবে। উদ্ধৃতিচিহ্নের মধ্যে লিখুন।
error-location_code_missing = সারি { $row }, কলাম code: কোড খালি। প্রতিটি অবস্থানের একটি কোড দিন।
error-location_code_invalid = সারি { $row }, কলাম code: "{ $value }" সঠিক কোড নয়। শুধু ইংরেজি অক্ষর, অঙ্ক, "-" ও "_" ব্যবহার করুন, যেমন BD-CTG-CXB।
error-location_code_duplicate = সারি { $row }, কলাম code: "{ $value }" কোডটি সারি { $first_row }-এ আগেই আছে। প্রতিটি অবস্থানের জন্য আলাদা কোড দিন, অথবা পুনরাবৃত্ত সারিটি মুছে দিন।
error-location_level_invalid = সারি { $row }, কলাম level: "{ $value }" কোনো স্তর নয়। এগুলোর একটি লিখুন: { $allowed }।
error-location_parent_missing = সারি { $row }, কলাম parent: parent খালি। শুধু দেশের কোনো parent থাকে না; এই জায়গাটি যে জায়গার ভেতরে, তার কোড লিখুন।
error-location_parent_unknown = সারি { $row }, কলাম parent: "{ $value }" এই ফাইলের কোনো সারির কোড নয়। ওই অবস্থানটি যোগ করুন, অথবা কোডটি ঠিক করুন।
error-location_level_not_below_parent = সারি { $row }, কলাম level: "{ $value }" তার parent { $parent }-এর নিচের স্তর নয়, যেটি একটি { $parent_level }। স্তর বা parent ঠিক করুন।
error-location_code_prefix = সারি { $row }, কলাম code: "{ $value }" তার parent-এর কোড "{ $parent }-" দিয়ে শুরু হয়নি। কোডটি parent-এর কোড দিয়ে শুরু করুন, যেমন { $parent }-A।
error-location_name_missing = সারি { $row }, কলাম { $column }: নাম খালি। ওই ভাষায় জায়গাটির নাম লিখুন।

## কেস ইমপোর্ট (/imports): ম্যাপিংয়ের সমস্যা, সারি বাদ পড়ার কারণ, কাজ থেমে যাওয়া ও রিপোর্ট।

import-error-cell = মান { $cell }: { $message }
error-import_required = এই সারিতে একটি আবশ্যক ঘর খালি। ফাইলে ঘরটি পূরণ করুন, তারপর ফাইলটি আবার যাচাই করুন।
error-import_unknown_column = ফাইলে "{ $value }" নামে কোনো কলাম নেই। ফাইলের শিরোনাম সারির সাথে ম্যাপিং মিলিয়ে দেখুন।
error-import_unknown_field = "{ $value }" এই ব্যবস্থার কোনো ঘর নয়। তালিকা থেকে একটি ঘর বেছে নিন।
error-import_field_not_importable = "{ $value }" ঘরটি ফাইল থেকে পূরণ করা যায় না: এটি সাথী নিজে পূরণ করে, অথবা এতে ছবি, নথি, সারির তালিকা বা সংখ্যার হিসাব থাকে।
error-import_field_mapped_twice = দুটি কলাম দিয়ে "{ $value }" ঘরটি পূরণ হচ্ছে। প্রতিটি ঘরের জন্য একটি কলাম বেছে নিন।
error-import_mapping_no_id = অন্য সিস্টেমের আইডির কলাম অথবা সাথীর কেস আইডির কলাম বেছে নিন, যাতে ফাইলটি আবার ইমপোর্ট করলে নতুন কেস না হয়ে একই কেসগুলো হালনাগাদ হয়।
error-import_mapping_no_owner = নতুন কেসগুলোর দায়িত্ব কোন কেসওয়ার্কার পাবেন তা বেছে নিন, অথবা তাদের ব্যবহারকারীর নামের কলাম বেছে নিন।
error-import_mapping_no_incumbent = পুরোনো সিস্টেমের ফাইলের জন্য পুরোনো সিস্টেমের ম্যাপিং লাগবে। ডিফল্ট ম্যাপিং বা সংরক্ষিত একটি ম্যাপিং ব্যবহার করুন।
error-import_mapping_invalid = ম্যাপিংটি এই ফাইলের সাথে মেলে না, তাই কিছুই যাচাই করা হয়নি। তালিকার বিষয়গুলো ঠিক করুন।
error-import_mapping_name_required = ম্যাপিংটি সংরক্ষণ করতে একটি নাম দিন।
error-import_owner_invalid = "{ $value }" আপনার সংস্থার সক্রিয় ব্যবহারকারী নন, তাই ইমপোর্ট করা কেসের দায়িত্ব তাকে দেওয়া যায় না। অন্য একজন কেসওয়ার্কার বেছে নিন।
error-import_busy = এই ফাইলটি এখন যাচাই বা ইমপোর্ট হচ্ছে। সেটি শেষ হওয়া পর্যন্ত অপেক্ষা করুন।
error-import_needs_dry_run = আগে এই ম্যাপিং দিয়ে ফাইলটি যাচাই করুন (ড্রাই রান), তারপর ইমপোর্ট করুন।
error-import_empty_file = ফাইলটি খালি। শিরোনাম সারিসহ যে ফাইলে কেসগুলো আছে সেটি আপলোড করুন।
error-import_not_comma_separated = ফাইলটির কলামগুলো সেমিকোলন বা ট্যাব দিয়ে আলাদা করা মনে হচ্ছে, কিন্তু CSV ফাইলে কমা লাগে। Excel-এ ফাইলটি "CSV UTF-8 (Comma delimited)" হিসেবে সেভ করে আবার আপলোড করুন।
error-import_duplicate_column = শিরোনামের সারিতে "{ $column }" কলামটি দুবার আছে, তাই ম্যাপিংয়ে দুটিকে আলাদা করা যাবে না। প্রতিটি কলামের আলাদা নাম দিন, তারপর ফাইলটি আবার আপলোড করুন।
error-import_unreadable_file = বেছে নেওয়া ধরনে ফাইলটি পড়া যাচ্ছে না। দেখুন CSV ফাইলটি CSV, ওয়ার্কবুকটি XLSX এবং পুরোনো সিস্টেমের এক্সপোর্টটি তার JSON ফাইল কি না।
error-import_not_utf8 = এই লেখাটি UTF-8-এ নেই। স্প্রেডশিট প্রোগ্রামে ফাইলটি "CSV UTF-8" হিসেবে সংরক্ষণ করে আবার আপলোড করুন।
error-import_file_not_utf8 = ফাইলের { $row } নম্বর সারির লেখা UTF-8-এ নেই, অর্থাৎ ফাইলটি অন্য এনকোডিংয়ে সংরক্ষণ করা হয়েছে। স্প্রেডশিট প্রোগ্রামে ফাইলটি "CSV UTF-8" হিসেবে সংরক্ষণ করে আবার আপলোড করুন।
error-import_file_too_large = ফাইলটি ইমপোর্টের সর্বোচ্চ আকার { $max_mb } MB-এর চেয়ে বড়। ফাইলটি কয়েকটি ছোট ফাইলে ভাগ করে একটির পর একটি ইমপোর্ট করুন।
error-import_invalid_date_format = { $date_format ->
    [day_slash] এটি এই ইমপোর্টের দিন/মাস/বছর (dd/mm/yyyy) আকারের তারিখ নয়, যেমন ১৫/০৬/২০১৭। বছর-মাস-দিন আকারের তারিখও চলবে, যেমন ২০১৭-০৬-১৫।
    [month_slash] এটি এই ইমপোর্টের মাস/দিন/বছর (mm/dd/yyyy) আকারের তারিখ নয়, যেমন ০৬/১৫/২০১৭। বছর-মাস-দিন আকারের তারিখও চলবে, যেমন ২০১৭-০৬-১৫।
    [day_dash] এটি এই ইমপোর্টের দিন-মাস-বছর (dd-mm-yyyy) আকারের তারিখ নয়, যেমন ১৫-০৬-২০১৭। বছর-মাস-দিন আকারের তারিখও চলবে, যেমন ২০১৭-০৬-১৫।
    [day_dot] এটি এই ইমপোর্টের দিন.মাস.বছর (dd.mm.yyyy) আকারের তারিখ নয়, যেমন ১৫.০৬.২০১৭। বছর-মাস-দিন আকারের তারিখও চলবে, যেমন ২০১৭-০৬-১৫।
   *[iso] এটি এই ইমপোর্টের বছর-মাস-দিন (yyyy-mm-dd) আকারের তারিখ নয়, যেমন ২০১৭-০৬-১৫।
}
error-import_interrupted = ফাইলটি যাচাই বা ইমপোর্ট হওয়ার সময় সার্ভার থেমে গিয়েছিল। আবার শুরু করুন: যে কেসগুলো আগেই ইমপোর্ট হয়েছে সেগুলো আইডি দিয়ে খুঁজে পাওয়া যাবে, দ্বিতীয়বার তৈরি হবে না।
error-import_failed = সার্ভারের একটি সমস্যার কারণে ইমপোর্ট থেমে গেছে। আবার শুরু করুন, বারবার হলে অ্যাডমিনিস্ট্রেটরকে জানান।
error-import_case_not_found = যে কেসগুলোতে আপনি ইমপোর্ট করতে পারেন তার মধ্যে এই আইডির কোনো কেস নেই। আইডি যাচাই করুন, অথবা নতুন কেস নিবন্ধন করতে আইডির ঘর খালি রাখুন।
error-import_case_changed = ফাইলটি ইমপোর্ট হওয়ার সময় কেউ এই কেসটি পরিবর্তন করেছেন, তাই এই সারিটি লেখা হয়নি। ফাইলটি আবার ইমপোর্ট করুন।
error-import_case_changed_since_check = ফাইলটি যাচাই করার পরে কেউ এই কেসটি বদলেছেন, তাই এই সারিটি লেখা হয়নি। ফাইলটি আবার যাচাই করুন, তারপর ইমপোর্ট করুন।
error-import_ids_disagree = সাথী কেস আইডি "{ $case_ref }" আর পুরোনো সিস্টেমের কেস নম্বর "{ $external_id }" দুটি আলাদা কেসের, তাই এই সারিটি লেখা হয়নি। ফাইলে এদের একটি ঠিক করুন।
error-import_duplicate_id = আপনার সংস্থার অন্য একটি কেসে অন্য সিস্টেমের এই আইডি আগে থেকেই আছে, তাই এই সারিটি লেখা হয়নি।
error-import_duplicate_row = এই কেসটি ফাইলের { $row } নম্বর সারিতে আগেই আছে। প্রতিটি কেসের জন্য একটি সারি রাখুন।
error-import_record_without_id = এই রেকর্ডে কোনো আইডি ("{ $key }") নেই, তাই আবার ইমপোর্ট করলে এর কেসটি খুঁজে পাওয়া যাবে না।
error-import_record_without_data = এই রেকর্ডে ঘরের মানসহ "{ $key }" অংশটি নেই।
error-import_invalid_row_id = এই তালিকার একটি সারির আইডি নেই, সঠিক নয়, অথবা অন্য সারির আইডির সাথে মিলে গেছে। প্রতিটি সারির "unique_id"-তে নিজস্ব একটি UUID লাগবে, যা হাইফেনসহ বা হাইফেন ছাড়া ৩২টি হেক্সাডেসিমাল অঙ্কে লেখা, যেমন 0c4b2d7e-6f1a-4b9e-9c3d-2a5e8f7b1c01। ফাইলে সারিটিকে এমন একটি আইডি দিন, তারপর ফাইলটি আবার যাচাই করুন।
error-import_invalid_yes_no = "{ $value }" হ্যাঁ বা না নয়। হ্যাঁ, না, yes, no, true, false, ১ বা ০ লিখুন।
error-import_ambiguous_location = "{ $value }" নামে { $count }টি স্থান আছে। এর বদলে স্থানের কোড ব্যবহার করুন।

import-report-row = সারি
import-report-outcome = ফলাফল
import-report-case = কেস আইডি
import-report-external-id = অন্য সিস্টেমের আইডি
import-report-column = কলাম
import-report-field = ঘর
import-report-message = কারণ
import-report-sheet = ইমপোর্ট রিপোর্ট
import-outcome-created = নতুন কেস
import-outcome-updated = হালনাগাদ হয়েছে
import-outcome-unchanged = অপরিবর্তিত
import-outcome-rejected = বাদ পড়েছে

## কেস এক্সপোর্ট (/exports): ত্রুটি, শিট ও কলামের নাম, কথায় লেখা মান।

error-export_password_length = এক্সপোর্টের পাসওয়ার্ডে { $min } থেকে { $max }টি অক্ষর থাকতে হবে, আর শুধু ফাঁকা জায়গা দিয়ে হবে না। অন্য পাসওয়ার্ড দিন, অথবা পাসওয়ার্ড ছাড়া ফাইল নিতে ঘরটি খালি রাখুন।
error-export_limit = আপনার { $max }টি এক্সপোর্ট এখন তৈরি হচ্ছে। এর একটি তৈরি হওয়া পর্যন্ত অপেক্ষা করুন, তারপর আবার চান।
error-export_not_ready = এই এক্সপোর্ট এখনো ডাউনলোডের জন্য তৈরি হয়নি। অবস্থা "তৈরি" হওয়া পর্যন্ত অপেক্ষা করুন; ব্যর্থ হলে আবার এক্সপোর্ট চান।
export-error-generation_failed = ফাইলটি তৈরি করা যায়নি। আবার এক্সপোর্ট চান; আবারও ব্যর্থ হলে সিস্টেম অ্যাডমিনিস্ট্রেটরকে জানান।
export-error-too_many_rows = একটি XLSX শিটে যত সারি ধরে (১০,৪৮,৫৭৬), তার চেয়ে বেশি সারি আছে। CSV হিসেবে এক্সপোর্ট করুন, অথবা ফিল্টার আরও সরু করুন।
export-error-interrupted = ফাইল তৈরির সময় সার্ভার বন্ধ হয়ে গিয়েছিল। আবার এক্সপোর্ট চান।
export-sheet-cases = কেস
export-column-display_id = কেস আইডি
export-yes = হ্যাঁ
export-no = না
export-status-open = চলমান
export-status-closed = বন্ধ

## The printed case summary (GET /cases/{id}/pdf).

pdf-title = কেস সারসংক্ষেপ
pdf-printed = প্রিন্ট করেছেন { $name }, { $date }, { $time } ({ $zone })
pdf-footer = গোপনীয়: শিশুর ব্যক্তিগত তথ্য। তালাবদ্ধ করে রাখুন এবং প্রয়োজন শেষ হলে কুচি কুচি করে নষ্ট করুন।
pdf-page = পৃষ্ঠা { $page } / { $pages }
pdf-empty = এই কেসের কোনো তথ্য দেখার অনুমতি আপনার নেই।
pdf-fact-status = অবস্থা
pdf-fact-stage = ধাপ
pdf-fact-registered = নিবন্ধন
pdf-fact-caseworker = কেসওয়ার্কার
pdf-yes = হ্যাঁ
pdf-no = না
# কেসের ধাপ: মুদ্রিত সারসংক্ষেপ, এক্সপোর্ট ও রিপোর্টে।
case-stage-new = নতুন
case-stage-assessment = মূল্যায়ন
case-stage-case_plan = কেস পরিকল্পনা
case-stage-service_provision = সেবা প্রদান
case-stage-services_implemented = সেবা সম্পন্ন
case-stage-closed = বন্ধ
case-stage-reopened = আবার খোলা

