/*
 * demo_specialists.c — twenty-one demo specialists across the six domains and
 * nineteen cities of Saudi Arabia and the Arab world (demo_specialists.h).
 * The first five are the people of src/cli/demo.c (their logins are printed
 * there); the others are created by demo_profiles.c with the demo password.
 * Every slug exists in the taxonomy (src/store/migrations/common/0004).
 */
#include "cli/demo_specialists.h"

const struct demo_specialist demo_specialists[] = {
	/* ---- the people of demo.c ---- */
	{ "dr.sara@khibra.local", NULL, NULL, "طبيبة أسرة تقدّم استشارات مجانية للأسر المحتاجة",
	  "طبيبة عامة منذ اثني عشر عامًا في الرياض. أتطوع بالاستشارات عن بُعد وفي القوافل الطبية.",
	  "doctor", "riyadh", 12, true, true, false, { "ar", "en" }, { { "general-medicine", 5 } },
	  { { 0, "18:00", "21:00" }, { 2, "18:00", "21:00" }, { 5, "08:00", "14:00" } }, 20 },
	{ "lawyer.khalid@khibra.local", NULL, NULL, "محامٍ يساعد الجمعيات في العقود واللوائح",
	  "محامٍ مرخّص في جدة، أقدّم استشارات قانونية مجانية وأصوغ العقود واللوائح للجمعيات الخيرية.",
	  "lawyer", "jeddah", 9, true, true, false, { "ar", "en" },
	  { { "legal-consultation", 5 }, { "contract-drafting", 4 } },
	  { { 1, "19:00", "22:00" }, { 3, "19:00", "22:00" } }, 12 },
	{ "eng.omar@khibra.local", NULL, NULL, "Civil engineer for village infrastructure and solar power",
	  "Civil engineer in Amman. I survey buildings, design small water and road works, and advise on solar power for schools and clinics.",
	  "civil-engineer", "amman", 15, true, true, false, { "en", "ar" },
	  { { "civil-engineering", 5 }, { "renewable-energy", 3 } },
	  { { 6, "09:00", "13:00" }, { 4, "17:00", "20:00" } }, 16 },
	{ "dev.layla@khibra.local", NULL, NULL, "مطوّرة مواقع تبني مواقع الجمعيات وتعلّم البرمجة",
	  "مطوّرة برمجيات في الدمام. أبني مواقع وتطبيقات بسيطة للجهات غير الربحية، وأدرّس البرمجة للشباب عن بُعد.",
	  "software-developer", "dammam", 6, true, false, false, { "ar", "en" },
	  { { "programming", 4 }, { "web-development", 5 } },
	  { { 0, "20:00", "22:00" }, { 2, "20:00", "22:00" }, { 6, "10:00", "12:00" }, { 6, "12:00", "14:00" } }, 15 },
	{ "teacher.huda@khibra.local", NULL, NULL, "معلمة رياضيات تدرّس طلاب القرى عن بُعد",
	  "معلمة رياضيات في حائل منذ عشر سنوات، أساعد طلاب المرحلتين المتوسطة والثانوية.",
	  "teacher", "hail", 10, true, true, false, { "ar" }, { { "teaching-mathematics", 5 } },
	  { { 0, "16:00", "18:00" }, { 1, "16:00", "18:00" }, { 3, "16:00", "18:00" } }, 10 },

	/* ---- health ---- */
	{ "nurse.reem@khibra.local", "ريم الغامدي", "ar", "ممرضة تقدّم التمريض المنزلي لكبار السن في أبها",
	  "ممرضة قانونية منذ ثماني سنوات في مستشفى عسير المركزي. أزور كبار السن في بيوتهم لتغيير الضمادات "
	  "وقياس الضغط والسكر، وأدرّب الأسر على العناية اليومية.\n\n"
	  "Registered nurse in Abha. I visit elderly people at home for wound care and check-ups, and teach families daily care.",
	  "nurse", "abha", 8, false, true, false, { "ar", "en" },
	  { { "home-nursing", 5 }, { "elderly-care", 4 }, { "wound-care", 4 } },
	  { { 4, "16:00", "20:00" }, { 5, "09:00", "13:00" } }, 12 },
	{ "dentist.faisal@khibra.local", "د. فيصل المطيري", "ar", "طبيب أسنان يفحص أسنان الأطفال في مدارس القصيم",
	  "طبيب أسنان عام في بريدة. أشارك في حملات الفحص المدرسي وأعلّم الأطفال العناية بأسنانهم، "
	  "وأعالج الحالات البسيطة في العيادات الخيرية.",
	  "dentist", "buraidah", 7, false, true, false, { "ar", "en" },
	  { { "dentistry", 5 }, { "paediatric-dentistry", 4 }, { "dental-prevention", 4 } },
	  { { 6, "09:00", "13:00" } }, 8 },
	{ "psych.nada@khibra.local", "Nada Khoury", "en", "Psychologist supporting children and families after trauma",
	  "Clinical psychologist in Beirut. I offer counselling and psychological first aid to families affected by "
	  "war and displacement, online or in community centres.\n\n"
	  "أخصائية نفسية في بيروت، أقدّم الإرشاد والإسعافات النفسية الأولية للأسر المتأثرة بالحرب والنزوح.",
	  "psychologist", "beirut", 11, true, true, false, { "en", "ar", "fr" },
	  { { "psychological-counselling", 5 }, { "trauma-support", 5 }, { "psychological-first-aid", 4 } },
	  { { 1, "17:00", "20:00" }, { 3, "17:00", "20:00" }, { 6, "10:00", "12:00" } }, 16 },
	{ "pharm.yousef@khibra.local", "يوسف الحربي", "ar", "صيدلي سريري يشرح الأدوية لمرضى السكري",
	  "صيدلي سريري في المدينة المنورة. أراجع أدوية المرضى المزمنين وأشرح لهم الجرعات والتداخلات الدوائية، "
	  "وأقدّم محاضرات توعوية عن السكري.",
	  "pharmacist", "madinah", 6, true, true, false, { "ar", "ur" },
	  { { "medication-counselling", 5 }, { "clinical-pharmacy", 4 }, { "diabetes-care", 3 } },
	  { { 0, "20:00", "22:00" }, { 2, "20:00", "22:00" } }, 10 },

	/* ---- education ---- */
	{ "teacher.abdullah@khibra.local", "عبدالله السبيعي", "ar", "معلم فيزياء يعدّ الطلاب لاختبار التحصيلي",
	  "معلم فيزياء وكيمياء في مكة المكرمة منذ أربعة عشر عامًا. أقدّم دروس تقوية مجانية عن بُعد "
	  "وأعدّ طلاب الثانوية لاختبارات القدرات والتحصيلي.",
	  "science-teacher", "makkah", 14, true, false, false, { "ar" },
	  { { "teaching-physics", 5 }, { "teaching-chemistry", 4 }, { "exam-preparation", 4 } },
	  { { 0, "19:00", "21:00" }, { 1, "19:00", "21:00" }, { 2, "19:00", "21:00" } }, 20 },
	{ "coach.amal@khibra.local", "Amal Mansour", "en", "Career coach: CVs and interviews for young job seekers",
	  "HR manager in Cairo for ten years. I help graduates and refugees write their CVs, prepare for interviews "
	  "and find their first job.\n\n"
	  "مديرة موارد بشرية في القاهرة، أساعد الخريجين واللاجئين في كتابة السيرة الذاتية والاستعداد للمقابلات.",
	  "career-coach", "cairo", 10, true, false, false, { "ar", "en" },
	  { { "cv-coaching", 5 }, { "interview-preparation", 5 }, { "career-guidance", 4 } },
	  { { 5, "15:00", "18:00" }, { 6, "15:00", "18:00" } }, 12 },
	{ "sped.mona@khibra.local", "منى العنزي", "ar", "معلمة تربية خاصة تدعم أطفال طيف التوحد وأسرهم",
	  "معلمة تربية خاصة في تبوك، أعمل مع أطفال اضطراب طيف التوحد وصعوبات التعلم، وأجيد لغة الإشارة.",
	  "special-education-teacher", "tabuk", 9, true, true, true, { "ar" },
	  { { "autism-support", 5 }, { "learning-difficulties", 4 }, { "sign-language", 4 } },
	  { { 3, "16:00", "19:00" } }, 6 },

	/* ---- law ---- */
	{ "adviser.hessa@khibra.local", "حصة العمري", "ar", "مستشارة قانونية في تأسيس الجمعيات وحوكمتها",
	  "مستشارة قانونية في الخبر، أساعد الجمعيات الأهلية في التسجيل لدى المركز الوطني لتنمية القطاع غير الربحي، "
	  "وأصوغ لوائحها وسياسات الحوكمة والامتثال.",
	  "legal-adviser", "khobar", 12, true, false, false, { "ar", "en" },
	  { { "charity-registration", 5 }, { "governance-compliance", 4 }, { "bylaws-drafting", 4 } },
	  { { 1, "20:00", "22:00" }, { 4, "20:00", "22:00" } }, 10 },
	{ "lawyer.tarek@khibra.local", "Tarek Benali", "en", "Lawyer in family and labour law for migrant workers",
	  "Lawyer at the Casablanca bar. I advise migrant workers and families on labour contracts, family law and "
	  "mediation, in Arabic, French or English.",
	  "lawyer", "casablanca", 13, true, false, true, { "fr", "ar", "en" },
	  { { "labour-law", 5 }, { "family-law", 4 }, { "mediation", 4 } },
	  { { 2, "18:00", "20:00" } }, 6 },

	/* ---- engineering ---- */
	{ "arch.rana@khibra.local", "رنا الشهري", "ar", "مهندسة معمارية تصمّم مباني ميسّرة لذوي الإعاقة",
	  "مهندسة معمارية في دبي، أراجع مباني المدارس والجمعيات لتكون ميسّرة لذوي الإعاقة، وأساعد في ترميم المباني التراثية.\n\n"
	  "Architect in Dubai: accessibility reviews of schools and charities, and heritage restoration.",
	  "architect", "dubai", 8, true, true, false, { "ar", "en" },
	  { { "accessible-design", 5 }, { "architectural-design", 4 }, { "heritage-restoration", 3 } },
	  { { 5, "10:00", "14:00" }, { 6, "10:00", "14:00" } }, 12 },
	{ "energy.saeed@khibra.local", "سعيد البلوشي", "ar", "مهندس طاقة يركّب أنظمة شمسية للمدارس الريفية",
	  "مهندس طاقة متجددة في مسقط. أصمّم أنظمة الطاقة الشمسية الصغيرة للمدارس والمراكز الصحية في القرى "
	  "وأدرّب الأهالي على صيانتها.",
	  "energy-engineer", "muscat", 10, true, true, false, { "ar", "en" },
	  { { "solar-energy", 5 }, { "energy-efficiency", 4 }, { "electrical-installations", 3 } },
	  { { 4, "09:00", "13:00" }, { 5, "09:00", "13:00" } }, 14 },

	/* ---- technology ---- */
	{ "data.hamad@khibra.local", "حمد العجمي", "ar", "محلل بيانات يبني لوحات متابعة للجمعيات",
	  "محلل بيانات في مدينة الكويت. أبني لوحات متابعة للمتبرعين والمستفيدين، وأحلل بيانات البرامج بلغة بايثون.",
	  "data-analyst", "kuwait-city", 5, true, false, false, { "ar", "en" },
	  { { "data-analysis", 5 }, { "data-visualisation", 4 }, { "python", 4 } },
	  { { 0, "21:00", "23:00" }, { 3, "21:00", "23:00" } }, 10 },
	{ "security.noor@khibra.local", "Noor Al-Hassan", "en", "Cybersecurity specialist protecting charities' data",
	  "Security engineer in Irbid. I run security-awareness sessions for charity staff, check their websites for "
	  "vulnerabilities and help them protect beneficiaries' personal data.",
	  "cybersecurity-specialist", "irbid", 7, true, false, false, { "en", "ar" },
	  { { "security-awareness", 5 }, { "security-assessment", 4 }, { "data-privacy", 4 } },
	  { { 6, "18:00", "21:00" } }, 8 },

	/* ---- arts and media ---- */
	{ "design.joud@khibra.local", "جود المالكي", "ar", "مصممة جرافيك تصنع هويات بصرية وحملات توعوية",
	  "مصممة جرافيك في الرياض. أصمم الهويات البصرية والإنفوجرافيك ومطبوعات الحملات التوعوية للجمعيات الخيرية.\n\n"
	  "Graphic designer in Riyadh: brand identities, infographics and awareness-campaign material for charities.",
	  "graphic-designer", "riyadh", 6, true, false, false, { "ar", "en" },
	  { { "graphic-design", 5 }, { "brand-identity", 4 }, { "infographics", 4 } },
	  { { 1, "20:00", "23:00" }, { 4, "20:00", "23:00" } }, 15 },
	{ "translator.sami@khibra.local", "Sami Nasser", "en", "Arabic–English translator and interpreter for NGOs",
	  "Certified translator in Amman. I translate reports and grant proposals, interpret for medical missions "
	  "and subtitle awareness videos.\n\n"
	  "مترجم معتمد في عمّان، أترجم التقارير ومقترحات المنح وأترجم فوريًا للبعثات الطبية.",
	  "translator", "amman", 9, true, true, false, { "ar", "en" },
	  { { "arabic-english-translation", 5 }, { "interpreting", 4 }, { "subtitling", 3 } },
	  { { 0, "17:00", "20:00" }, { 2, "17:00", "20:00" } }, 12 },
	{ "calligrapher.ibrahim@khibra.local", "إبراهيم الفارس", "ar", "خطاط يعلّم الخط العربي ويستخدم الفن في العلاج",
	  "خطاط ومعلم فنون في الأحساء. أقيم ورش الخط العربي والرسم للأطفال والأيتام، وأشارك في برامج العلاج بالفن.",
	  "calligrapher", "al-ahsa", 20, false, true, true, { "ar" },
	  { { "arabic-calligraphy", 5 }, { "drawing", 4 }, { "art-therapy", 3 } },
	  { { 4, "16:00", "19:00" } }, 8 },
};

const size_t demo_specialists_count = sizeof demo_specialists / sizeof demo_specialists[0];
