"""Word lists the parser uses to recognise headings, job titles, employers, schools and degrees."""

from __future__ import annotations

import re

SECTION_HEADINGS: dict[str, tuple[str, ...]] = {
    "summary": (
        "summary", "professional summary", "profile", "professional profile", "about",
        "about me", "objective", "career objective", "career summary", "executive summary",
        "overview", "personal statement", "summary of qualifications", "qualifications summary",
        "professional overview", "career profile", "personal profile", "introduction", "bio",
    ),
    "experience": (
        "experience", "work experience", "professional experience", "employment",
        "employment history", "work history", "career history", "relevant experience",
        "professional background", "positions held", "professional history", "career",
        "industry experience", "teaching experience", "clinical experience",
        "leadership experience", "other experience", "additional experience",
        "related experience", "internships", "internship experience", "research experience",
        "experience highlights", "selected experience", "work", "employment experience",
        "professional employment", "management experience", "nursing experience",
        "engineering experience", "relevant work experience", "recent experience",
    ),
    "education": (
        "education", "education and training", "academic background", "academic history",
        "academic qualifications", "academics", "degrees", "educational background",
        "education and certifications", "education and credentials", "formal education",
        "training and education", "qualifications", "education history",
    ),
    "skills": (
        "skills", "clinical skills", "key skills and tools", "technical skills",
        "core competencies", "competencies", "key skills",
        "areas of expertise", "expertise", "skills and tools", "tools", "tools and technologies",
        "technologies", "tech stack", "technical proficiencies", "proficiencies",
        "skills and abilities", "core skills", "hard skills", "soft skills", "skill set",
        "skillset", "strengths", "key competencies", "technical expertise", "technical summary",
        "skills and expertise", "skills summary", "professional skills", "relevant skills",
        "tools and platforms", "software", "computer skills", "it skills", "technical toolkit",
        "toolkit", "skills and technologies", "skills and interests", "additional skills",
    ),
    "projects": (
        "projects", "selected projects", "personal projects", "key projects", "side projects",
        "portfolio", "open source", "academic projects", "notable projects", "project experience",
        "project highlights",
    ),
    "certificates": (
        "certifications", "certificates", "certification", "licenses",
        "licenses and certifications",
        "certifications and licenses", "licensure", "professional development", "credentials",
        "training and certifications", "certifications and training", "courses",
        "professional certifications", "training", "continuing education",
    ),
    "awards": (
        "awards", "honors", "honors and awards", "awards and honors", "achievements",
        "recognition", "awards and recognition", "honours",
    ),
    "languages": ("languages", "language skills", "spoken languages", "language"),
    "volunteer": (
        "volunteer", "volunteering", "volunteer experience", "community involvement",
        "community service", "volunteer work", "community", "leadership and volunteering",
        "volunteer and community", "community engagement",
    ),
    "contact": (
        "contact", "contact information", "contact info", "personal details", "details",
        "personal information", "contact details", "get in touch",
    ),
    "other": (
        "interests", "hobbies", "hobbies and interests", "references", "publications",
        "presentations", "talks", "patents", "additional information", "affiliations",
        "memberships", "professional affiliations", "activities", "extracurricular activities",
        "leadership", "conferences", "speaking", "associations", "professional memberships",
        "additional", "misc", "other",
    ),
}  # fmt: skip

# Common headings of Spanish, French, German and Portuguese resumes.
_FOREIGN_HEADINGS = {
    "experiencia": "experience", "experiencia laboral": "experience",
    "experiencia profesional": "experience", "expérience": "experience",
    "expérience professionnelle": "experience", "expériences professionnelles": "experience",
    "berufserfahrung": "experience", "experiência profissional": "experience",
    "educación": "education", "formación": "education", "formación académica": "education",
    "formation": "education", "ausbildung": "education", "bildung": "education",
    "educação": "education", "formação": "education", "habilidades": "skills",
    "competencias": "skills", "compétences": "skills", "kenntnisse": "skills",
    "fähigkeiten": "skills", "idiomas": "languages", "langues": "languages",
    "sprachen": "languages", "perfil": "summary", "resumen": "summary", "profil": "summary",
    "proyectos": "projects", "projets": "projects", "projekte": "projects",
    "certificaciones": "certificates", "zertifikate": "certificates",
}  # fmt: skip

HEADING_LOOKUP: dict[str, str] = {
    **{phrase: section for section, phrases in SECTION_HEADINGS.items() for phrase in phrases},
    **_FOREIGN_HEADINGS,
}

TITLE_WORDS = frozenset(
    """
    engineer developer programmer architect manager director lead head analyst scientist
    consultant specialist coordinator administrator officer assistant associate intern trainee
    designer nurse teacher instructor professor lecturer tutor accountant auditor controller
    bookkeeper technician representative agent advisor adviser counselor therapist pharmacist
    physician doctor surgeon editor writer copywriter strategist planner producer supervisor
    executive president vp vice founder cofounder co-founder owner partner principal staff senior
    sr junior jr chief cto ceo cfo coo cmo cio ciso fellow researcher clerk cashier receptionist
    paralegal attorney lawyer marketer recruiter buyer operator mechanic electrician foreman
    superintendent inspector estimator dispatcher chef cook server barista driver sales
    salesperson volunteer apprentice postdoc postdoctoral scrum master product owner rn lpn cna np
    sde swe devops sre qa tester investigator educator librarian aide caregiver pa fellow
    manager's officer's technologist hygienist dietitian nutritionist paramedic chair handler
    associate
    chairperson dean principal coach trainer facilitator
    """.split()
)

COMPANY_WORDS = frozenset(
    """
    inc inc. llc l.l.c. ltd ltd. limited corp corp. corporation company co co. group gmbh ag sa
    s.a. plc pty bv b.v. labs lab technologies technology tech systems solutions software
    bank capital partners holdings industries international global health healthcare hospital
    clinic medical center centre university college school district academy institute
    foundation agency studio studios consulting consultants services networks media
    communications pharmaceuticals pharma insurance logistics manufacturing motors energy
    enterprises ventures associates firm council department ministry county city state
    government federal army navy force society trust church museum library store stores
    restaurant cafe hotel airlines airways analytics dynamics robotics works retail markets
    bakery
    """.split()
)

INSTITUTION_WORDS = frozenset(
    """
    university universität universidad université universita college institute institut school
    academy polytechnic conservatory seminary univ. univ community iit iim mit politecnico
    politécnica politecnica hochschule école ecole escuela universiteit università universidade
    """.split()
)

# Degree names, long and short; matched at the start of a fragment only (MA is also a state).
_DEGREE_PATTERNS = (
    r"(?:bachelor|master|doctor|associate)(?:'?s)?(?:\s+degree)?(?:\s+of\s+(?!in\b)[a-z]+"
    r"(?:\s+(?:administration|work|management|resources?|arts|science|sciences|engineering|studies"
    r"|health|education|technology|laws|design|music|nursing|architecture|planning|policy"
    r"|affairs|commerce|applications|therapy|pharmacy|medicine|accountancy|accounting"
    r"|finance|divinity|theology|letters|humanities|psychology)\b){0,2})?",
    r"doctorate",
    r"juris\s+doctor",
    r"(?:[a-z][a-z]{0,3}\.){3,4}",  # dotted abbreviations: M.S.Ed., B.Sc.N.
    r"ph\.?\s?d\.?",
    r"d\.?phil\.?",
    r"m\.?b\.?a\.?",
    r"e\.?m\.?b\.?a\.?",
    r"b\.?\s?s\.?\s?c?\.?(?:\s?n\.?)?",
    r"b\.?\s?a\.?\s?s?c?\.?",
    r"b\.?\s?eng\.?",
    r"b\.?\s?e\.?",
    r"b\.?\s?tech\.?",
    r"b\.?\s?com\.?",
    r"b\.?\s?b\.?\s?a\.?",
    r"b\.?\s?f\.?\s?a\.?",
    r"b\.?\s?ed\.?",
    r"m\.?\s?s\.?\s?c?\.?(?:\s?n\.?)?",
    r"m\.?\s?a\.?",
    r"m\.?\s?eng\.?",
    r"m\.?\s?tech\.?",
    r"m\.?\s?ed\.?",
    r"m\.?\s?p\.?\s?[ah]\.?",
    r"m\.?\s?f\.?\s?a\.?",
    r"m\.?\s?phil\.?",
    r"ll\.?\s?[bm]\.?",
    r"j\.?\s?d\.?",
    r"m\.?\s?d\.?",
    r"ed\.?\s?d\.?",
    r"a\.?\s?a\.?\s?s\.?",
    r"a\.?\s?s\.?\s?n\.?",
    r"a\.?\s?[as]\.?",
    r"(?:high\s+school\s+)?diploma",
    r"(?:graduate\s+|postgraduate\s+|professional\s+)?certificate",
    r"pg\s?dip\.?",
    r"hnd",
    r"a-levels?",
    r"gcses?",
    r"abitur",
    r"licenciatura",
    r"ged",
)
DEGREE_RE = re.compile(
    r"^(?P<type>(?:" + "|".join(_DEGREE_PATTERNS) + r")(?:\s*\((?:hons?|honours)\.?\))?)"
    r"(?=$|[\s,(:;–—-])",
    re.IGNORECASE,
)

CREDENTIAL_SUFFIXES = frozenset(
    """
    pmp mba rn bsn msn phd ph.d. ph.d cpa csm cissp pe p.eng md cfa shrm-cp shrm-scp cpm aws
    capm psm lpn np fnp ccrn med m.ed ma ms mpa mph cph cscp cma ea cpt
    """.split()
)

ACTION_VERB_HINTS = frozenset(
    """
    led built ran grew cut drove won wrote made taught set kept sped shipped owned
    created managed developed designed implemented launched delivered reduced increased improved
    coordinated supervised trained mentored partnered collaborated established streamlined
    automated analyzed analysed administered oversaw organized organised spearheaded directed
    negotiated achieved generated prepared produced resolved conducted facilitated planned
    presented provided served supported maintained migrated introduced cared assessed monitored
    educated guided advised handled processed reconciled audited drafted authored executed
    boosted saved cared responded documented onboarded hired recruited scaled rebuilt refactored
    architected deployed optimized optimised tested researched identified secured closed expanded
    lead manage build own run design develop teach coordinate mentor support maintain oversee
    create deliver drive plan write train partner analyze analyse prepare review
    """.split()
)
