"""Render the synthetic sample resumes to DOCX (python-docx) and PDF (LibreOffice), with truths.

Every person, employer, phone number and address below is invented. Layouts differ on purpose
(heading names and styles, date formats, title-first vs company-first) so the samples also
exercise the parser. Run from the repository root:

    .venv/bin/python sample_resumes/make_samples.py
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pypdfium2
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor
from docx.text.paragraph import Paragraph

HERE = Path(__file__).resolve().parent
TRUTH_DIR = HERE.parent / "tests" / "fixtures" / "sample_truth"
PAGE_WIDTH = 8.5  # inches, US Letter
FIXED_DATE = datetime(2026, 11, 1, 9, 0, 0)  # stable metadata, so reruns give the same DOCX

_MON = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
_MON_DOT = "Jan. Feb. Mar. Apr. May June July Aug. Sept. Oct. Nov. Dec.".split()
_MONTH = (
    "January February March April May June July August September October November December".split()
)

# Average glyph width in em for contact-line text; LibreOffice draws Verdana with DejaVu Sans.
_GLYPH_EM = {"Verdana": 0.55, "Times New Roman": 0.42}

DEFAULT_TITLES = {
    "summary": "Summary",
    "experience": "Professional Experience",
    "education": "Education",
    "skills": "Skills",
}


@dataclass(frozen=True)
class Style:
    """How one resume looks: fonts, heading treatment, date format and entry layout."""

    font: str = "Arial"
    size: float = 10.5
    name_size: float = 22
    accent: str = "1F3A5F"
    headings: str = "word"  # "word": Word's Heading 1 style; "caps": bold capitals with a rule
    layout: str = "title_first"  # "title_first", "company_first" (roles grouped) or "inline"
    dates: str = "mon"  # "mon" Jan 2021, "mon_dot" Sept. 2021, "month", "num" 01/2021, "year"
    date_sep: str = " – "
    present: str = "Present"
    center_header: bool = False
    contact_sep: str = "  |  "
    margin: float = 0.75
    skills_as_bullets: bool = False
    titles: dict[str, str] = field(default_factory=dict)

    def title(self, key: str) -> str:
        """The heading text this resume uses for a standard section."""
        return self.titles.get(key, DEFAULT_TITLES.get(key, key))


@dataclass(frozen=True)
class Role:
    """One position; dates are ISO (`2021-03`, or `2019` when only the year is shown)."""

    employer: str
    title: str
    location: str
    start: str
    end: str | None
    bullets: list[str]


@dataclass(frozen=True)
class Degree:
    """One education entry."""

    study_type: str
    area: str | None
    institution: str
    location: str
    end: str
    note: str = ""


@dataclass(frozen=True)
class Item:
    """An entry in an extra section: a bold head, optional plain text and optional bullets."""

    head: str
    text: str = ""
    bullets: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Extra:
    """An extra section such as Certifications, Projects or Volunteer."""

    title: str
    items: list[Item]


@dataclass(frozen=True)
class Person:
    """Everything on one sample resume."""

    slug: str
    name: str
    headline: str
    email: str
    phone: str
    city: str
    region: str
    links: list[str]
    summary: str
    roles: list[Role]
    education: list[Degree]
    skills: list[tuple[str | None, list[str]]]
    extras: list[Extra] = field(default_factory=list)
    order: tuple[str, ...] = ("summary", "experience", "skills", "education", "extras")
    style: Style = field(default_factory=Style)
    credentials: str = ""  # shown after the name ("PMP"); not part of the name in the truth


# --------------------------------------------------------------------------- people

ALEX = Person(
    slug="alex-rivera-software-engineer",
    name="Alex Rivera",
    headline="Senior Software Engineer",
    email="alex.rivera@example.com",
    phone="(555) 010-0142",
    city="Portland",
    region="OR",
    links=["linkedin.com/in/alex-rivera-example", "github.com/alexrivera-example"],
    summary=(
        "Senior software engineer with 9 years of experience building Python services and data "
        "pipelines for logistics and healthcare products. I design systems end to end, own our "
        "CI/CD and release process, and regularly explain technical trade-offs to product, "
        "operations and executive audiences. Recently coordinated the launch of a machine learning "
        "ETA model and completed the Google Project Management Certificate; now looking to move "
        "into AI project management."
    ),
    roles=[
        Role(
            "Ridgeway Freight Technologies",
            "Senior Software Engineer",
            "Portland, OR",
            "2021-01",
            None,
            [
                "Led the design and delivery of a real-time shipment-tracking platform (Python, "
                "FastAPI, Kafka, PostgreSQL) that processes 4.2M location events a day for 1,800 "
                "carrier accounts; customer \u201cwhere is my load\u201d tickets fell 37%.",
                "Coordinated a 7-person team from engineering, data science and operations to take "
                "an ML-based ETA prediction model from notebook prototype to production in 14 "
                "weeks; median ETA error dropped from 96 to 41 minutes.",
                "Rebuilt the CI/CD pipeline on GitHub Actions with parallel test shards and "
                "automated canary deploys, cutting average build time from 38 to 11 minutes and "
                "moving releases from biweekly to 20+ deploys a week.",
                "Wrote architecture decision records and a quarterly technical roadmap reviewed "
                "with the VP of Product, framing infrastructure choices in terms of cost, risk "
                "and customer impact for non-technical leaders.",
                "Mentored 5 engineers through weekly 1:1s, pairing sessions and a system design "
                "study group; 2 were promoted to Software Engineer II within 18 months.",
                "Reduced AWS spend by $186K a year by right-sizing EKS node groups and moving "
                "batch jobs to spot instances while holding the 99.95% availability SLO.",
            ],
        ),
        Role(
            "Lumenfield Health",
            "Software Engineer II",
            "Seattle, WA",
            "2018-06",
            "2020-12",
            [
                "Built HIPAA-compliant patient-scheduling APIs in Python (Django REST Framework) "
                "serving 140 clinics and 2.3M appointments a year.",
                "Designed an event-driven reminder service on AWS SQS and Lambda that sends 90K "
                "SMS and email reminders a week; no-show rates in pilot clinics fell 18%.",
                "Introduced contract testing and a nightly-refreshed staging environment with "
                "anonymized data, lowering production incidents from 9 to 3 per quarter.",
                "Ran sprint demos for clinic operations managers and wrote plain-language release "
                "notes, which cut post-release support escalations by 30%.",
                "Led a 6-engineer on-call rotation; wrote 12 runbooks and brought mean time to "
                "recovery down from 74 to 26 minutes.",
            ],
        ),
        Role(
            "Quillstone Software",
            "Software Engineer",
            "Boise, ID",
            "2016-07",
            "2018-05",
            [
                "Shipped features for a B2B invoicing web app (Python, Flask, React) used by 3,500 "
                "small businesses, including recurring billing and PDF statements.",
                "Automated the nightly regression suite with Jenkins and pytest, raising test "
                "coverage from 48% to 81%.",
                "Migrated 600 GB of customer data from MySQL to PostgreSQL using a phased cutover "
                "with zero data loss and under 20 minutes of downtime.",
                "Worked with the support team to rank bugs by customer impact, clearing a "
                "220-ticket backlog in two sprints.",
            ],
        ),
    ],
    education=[
        Degree(
            "Bachelor of Science",
            "Computer Science",
            "Oregon State University",
            "Corvallis, OR",
            "2016",
            "Minor in Business; capstone team lead for a campus ride-share app",
        )
    ],
    skills=[
        ("Languages", ["Python", "Go", "SQL", "TypeScript"]),
        (
            "Cloud & DevOps",
            ["AWS", "Docker", "Kubernetes", "Terraform", "GitHub Actions", "Jenkins"],
        ),
        ("Data & ML", ["PostgreSQL", "Kafka", "Airflow", "pandas", "scikit-learn", "MLflow"]),
        (
            "Practices",
            [
                "System Design",
                "CI/CD",
                "Agile/Scrum",
                "Jira",
                "Technical Mentoring",
                "Stakeholder Communication",
            ],
        ),
    ],
    extras=[
        Extra(
            "Projects",
            [
                Item(
                    "Sprint Risk Radar",
                    " \u2014 personal project, 2024",
                    [
                        "Trained a scikit-learn classifier on 3 years of anonymized Jira history "
                        "to flag sprint items likely to slip; 72% precision on a held-out quarter.",
                        "Demoed it to 6 engineering managers, who now use its weekly digest in "
                        "sprint planning.",
                    ],
                ),
                Item(
                    "Rose City Food Rescue",
                    " \u2014 volunteer technical lead, 2022\u20132023",
                    [
                        "Scoped and led a 4-volunteer build of a pickup-scheduling web app; "
                        "gathered requirements from drivers and pantry staff in 5 workshops.",
                        "Launched on schedule and on a $0 budget; it now schedules about 300 "
                        "pickups a month.",
                    ],
                ),
            ],
        ),
        Extra(
            "Certifications",
            [
                Item(
                    "Google Project Management Professional Certificate", " \u2014 Coursera, 2024"
                ),
                Item("Machine Learning Specialization", " \u2014 DeepLearning.AI, 2024"),
                Item("AWS Certified Solutions Architect \u2013 Associate", " \u2014 2022"),
            ],
        ),
    ],
    order=("summary", "experience", "extras", "skills", "education"),
    style=Style(font="Arial", size=10.5, accent="1F3A5F", headings="word", margin=0.8),
)

DANA = Person(
    slug="dana-whitfield-project-manager",
    name="Dana Whitfield",
    credentials="PMP",
    headline="Senior Project Manager | Agile Delivery | Insurance Technology",
    email="dana.whitfield@example.com",
    phone="(555) 010-0178",
    city="Chicago",
    region="IL",
    links=["linkedin.com/in/dana-whitfield-example"],
    summary=(
        "PMP- and CSM-certified project manager with 10 years of experience delivering software "
        "and process-change programs in insurance and consulting. Leads cross-functional teams of "
        "up to 25 people and budgets up to $4.8M, with a strong record in stakeholder management, "
        "risk control and Agile/Scrum delivery in Jira. Recently managed a machine learning "
        "claims-triage pilot and is now pursuing AI project management roles."
    ),
    roles=[
        Role(
            "Meridian Mutual Insurance",
            "Senior Project Manager",
            "Chicago, IL",
            "2020-03",
            None,
            [
                "Lead a $4.8M claims-platform modernization with 25 people across IT, claims "
                "operations, legal and two vendors; delivered 3 weeks early and 6% under budget.",
                "Managed a 6-month pilot of a machine learning claims-triage model with the data "
                "science team, agreeing success metrics with claims leadership up front; the model "
                "now fast-tracks 31% of auto claims and cut average cycle time from 12 to 8 days.",
                "Own a RAID log of 60+ risks and run biweekly risk reviews with the steering "
                "committee; early escalation of a vendor data-feed defect avoided an estimated "
                "$350K in rework.",
                "Introduced Scrum to 4 teams (34 people) with Jira boards, Confluence templates "
                "and sprint reporting; on-time sprint commitments rose from 61% to 88% in 3 "
                "quarters.",
                "Prepare monthly status reports and budget forecasts for the COO and CFO, keeping "
                "forecast variance within \u00b13%.",
            ],
        ),
        Role(
            "Meridian Mutual Insurance",
            "Project Manager",
            "Chicago, IL",
            "2017-08",
            "2020-02",
            [
                "Delivered 11 projects with budgets of $150K\u2013$1.2M, including a policyholder "
                "self-service portal adopted by 220K customers in its first year.",
                "Coordinated user acceptance testing with 40 business users and tracked 900+ "
                "defects in Jira to closure before go-live.",
                "Negotiated change requests with an offshore vendor and recovered $210K in "
                "contract credits for missed milestones.",
            ],
        ),
        Role(
            "Larkspur Consulting Group",
            "Project Coordinator",
            "Milwaukee, WI",
            "2015-06",
            "2017-07",
            [
                "Supported 5 concurrent ERP implementations for mid-size manufacturers: scheduled "
                "300+ workshops and kept project plans in MS Project.",
                "Built an Excel resource model that 3 practice leads used to staff 45 consultants.",
            ],
        ),
    ],
    education=[
        Degree(
            "Bachelor of Business Administration",
            "Management Information Systems",
            "University of Wisconsin\u2013Milwaukee",
            "Milwaukee, WI",
            "2015",
        )
    ],
    skills=[
        (
            "Project Management",
            [
                "Stakeholder Management",
                "Risk Management",
                "Budget Management",
                "Vendor Management",
                "Change Management",
            ],
        ),
        ("Delivery", ["Agile", "Scrum", "Kanban", "SAFe", "Cross-Functional Team Leadership"]),
        ("Tools", ["Jira", "Confluence", "MS Project", "Smartsheet", "Excel", "Power BI"]),
    ],
    extras=[
        Extra(
            "Certifications",
            [
                Item("Project Management Professional (PMP)", ", PMI, 2019"),
                Item("Certified ScrumMaster (CSM)", ", Scrum Alliance, 2021"),
                Item("AI For Everyone", ", DeepLearning.AI (Coursera), 2024"),
            ],
        )
    ],
    order=("summary", "skills", "experience", "extras", "education"),
    style=Style(
        font="Arial",
        size=10,
        name_size=20,
        accent="0F5E5A",
        headings="caps",
        layout="company_first",
        dates="num",
        date_sep=" - ",
        center_header=True,
        contact_sep="  \u2022  ",
        margin=0.7,
        titles={
            "summary": "Professional Summary",
            "experience": "Work History",
            "skills": "Core Competencies",
        },
    ),
)

MARCUS = Person(
    slug="marcus-chen-data-analyst",
    name="Marcus Chen",
    headline="Data Analyst",
    email="marcus.chen@example.com",
    phone="555-010-0115",
    city="Denver",
    region="CO",
    links=["linkedin.com/in/marcus-chen-example", "marcuschen-example.github.io"],
    summary=(
        "Data analyst with 6 years of experience turning retail and banking data into decisions. "
        "Builds SQL and dbt pipelines, Tableau dashboards and Python forecasting models, and "
        "presents findings to merchandising and finance leaders. Looking to grow into a data "
        "science or AI product role."
    ),
    roles=[
        Role(
            "Summit Outdoor Co-op",
            "Data Analyst",
            "Denver, CO",
            "2022",
            None,
            [
                "Built a weekly demand-forecasting model in Python (pandas, statsmodels) for 4,200 "
                "SKUs across 38 stores, reducing winter-season stockouts by 22%.",
                "Designed 14 Tableau dashboards on Snowflake for merchandising, finance and store "
                "operations, replacing 30+ Excel reports and saving about 25 analyst hours a week.",
                "Ran 9 A/B tests on email and checkout changes; a new free-shipping threshold "
                "raised average order value by $6.40.",
                "Wrote dbt models and data-quality tests for the sales mart, cutting user-reported "
                "dashboard errors from 15 to 2 a month.",
                "Presented quarterly member-behavior findings to the leadership team, which led "
                "to a redesign of the loyalty tiers.",
            ],
        ),
        Role(
            "Pinecrest Community Credit Union",
            "Junior Data Analyst",
            "Lakewood, CO",
            "2019",
            "2022",
            [
                "Automated monthly loan-portfolio reporting with SQL Server and Python, cutting "
                "preparation time from 3 days to 4 hours.",
                "Built a member-churn scorecard (logistic regression) that flags about 1,100 "
                "at-risk members a quarter; retention in the contacted group rose 9 points.",
                "Reconciled 12 years of branch transaction data during the core banking system "
                "migration, resolving 4,700 mismatched records.",
            ],
        ),
    ],
    education=[
        Degree(
            "Bachelor of Arts",
            "Economics",
            "University of Colorado Boulder",
            "Boulder, CO",
            "2019",
            "Minor in Statistics",
        )
    ],
    skills=[
        (
            None,
            [
                "SQL",
                "Python",
                "pandas",
                "statsmodels",
                "scikit-learn",
                "Tableau",
                "Power BI",
                "Snowflake",
                "dbt",
                "Excel",
                "A/B Testing",
                "Forecasting",
                "Data Storytelling",
            ],
        )
    ],
    extras=[
        Extra(
            "Projects",
            [
                Item(
                    "Bike-Share Demand Forecast",
                    ": predicted hourly station demand for a city bike-share open data set with "
                    "gradient boosting (XGBoost), beating a seasonal baseline by 18% MAE; "
                    "wrote it up on my blog.",
                ),
            ],
        ),
        Extra(
            "Certifications",
            [
                Item("Tableau Desktop Specialist", " (2021)"),
                Item("Google Data Analytics Professional Certificate", " (2020)"),
            ],
        ),
    ],
    order=("summary", "skills", "experience", "extras", "education"),
    style=Style(
        font="Arial",
        size=10.5,
        accent="2B4C7E",
        headings="word",
        layout="title_first",
        dates="year",
        titles={"experience": "Experience", "skills": "Technical Skills"},
    ),
)

SOFIA = Person(
    slug="sofia-delgado-teacher",
    name="Sofia Delgado",
    headline="Chemistry Teacher & Science Department Chair",
    email="sofia.delgado@example.com",
    phone="(555) 010-0163",
    city="Austin",
    region="TX",
    links=["linkedin.com/in/sofia-delgado-example"],
    summary=(
        "High-school chemistry teacher and science department chair with 11 years in public "
        "education. I design standards-aligned curriculum, coach a team of 9 teachers, and use "
        "assessment data to raise student outcomes. Looking to bring curriculum design, training "
        "and facilitation skills to an instructional design or corporate learning role."
    ),
    roles=[
        Role(
            "Riverbend High School",
            "Science Department Chair",
            "Austin, TX",
            "2021-08",
            None,
            [
                "Lead a department of 9 science teachers; run weekly planning meetings and coach "
                "3 first-year teachers through the district induction program.",
                "Redesigned the biology and chemistry scope and sequence around lab-based units; "
                "end-of-course exam pass rates rose from 74% to 86% in two years.",
                "Manage a $38K annual budget for lab equipment and consumables, and the "
                "department\u2019s safety and chemical-inventory audits.",
            ],
        ),
        Role(
            "Riverbend High School",
            "Chemistry Teacher",
            "Austin, TX",
            "2015-08",
            "2021-07",
            [
                "Taught 5 sections of Chemistry and AP Chemistry (about 140 students a year); "
                "the AP exam pass rate grew from 41% to 68%.",
                "Built 60+ lessons and assessments in Canvas and Google Classroom; during remote "
                "learning, trained 45 colleagues on Canvas and Pear Deck in after-school "
                "workshops.",
                "Wrote a $12K grant to a local education foundation that funded digital probeware "
                "for 4 lab classrooms.",
            ],
        ),
        Role(
            "Hill Country Environmental Labs",
            "Laboratory Technician",
            "San Marcos, TX",
            "2013-06",
            "2015-07",
            [
                "Ran 40+ water-quality analyses a day (ICP-OES, titration) under EPA methods and "
                "trained 4 new technicians on standard operating procedures.",
            ],
        ),
    ],
    education=[
        Degree(
            "Master of Education",
            "Curriculum and Instruction",
            "Texas State University",
            "San Marcos, TX",
            "2019",
        ),
        Degree(
            "Bachelor of Science",
            "Chemistry",
            "The University of Texas at Austin",
            "Austin, TX",
            "2013",
        ),
    ],
    skills=[
        (
            "Instruction",
            [
                "Curriculum Design",
                "Backward Design",
                "Differentiated Instruction",
                "Assessment Design",
                "Data-Driven Instruction",
            ],
        ),
        ("Leadership", ["Teacher Coaching", "Workshop Facilitation", "Budgeting"]),
        ("Tools", ["Canvas", "Google Classroom", "Pear Deck", "Microsoft Excel"]),
    ],
    extras=[
        Extra(
            "Certifications",
            [
                Item("Texas Educator Certificate", ": Chemistry, Grades 7\u201312"),
                Item("Google Certified Educator", ": Level 2"),
            ],
        ),
        Extra(
            "Volunteer",
            [
                Item(
                    "Robotics Club Sponsor",
                    ", Riverbend High School, 2018\u2013present: mentor 20 students a year "
                    "(state finalists twice)",
                ),
            ],
        ),
    ],
    order=("summary", "experience", "skills", "education", "extras"),
    style=Style(
        font="Times New Roman",
        size=10.5,
        name_size=24,
        accent="6B2D2D",
        headings="caps",
        layout="company_first",
        dates="month",
        margin=0.7,
        titles={"summary": "Profile", "experience": "Teaching Experience"},
    ),
)

TAYLOR = Person(
    slug="taylor-brooks-marketing-manager",
    name="Taylor Brooks",
    headline="Marketing Manager \u2014 E-commerce, Paid Media & Lifecycle",
    email="taylor.brooks@example.com",
    phone="+1 555 010 0129",
    city="Atlanta",
    region="GA",
    links=["linkedin.com/in/taylor-brooks-example"],
    summary=(
        "Marketing manager with 9 years in e-commerce and digital media. Owns a $2.1M annual paid "
        "media budget, leads a team of 5, and grows revenue through lifecycle email, paid social "
        "and SEO. Comfortable with GA4, HubSpot and SQL; moving toward product marketing and "
        "product management."
    ),
    roles=[
        Role(
            "Verdant Home Goods",
            "Marketing Manager",
            "Atlanta, GA",
            "2021-04",
            None,
            [
                "Manage a $2.1M annual paid media budget across Google Ads, Meta and Pinterest; "
                "improved blended ROAS from 2.8 to 4.1 in 18 months.",
                "Lead a team of 5 (2 specialists, a designer, a copywriter and a coordinator) and "
                "2 outside agencies.",
                "Rebuilt the lifecycle email program in Klaviyo with welcome, browse-abandon and "
                "win-back flows; email\u2019s share of online revenue rose from 14% to 23%.",
                "Wrote go-to-market plans with product, merchandising and customer service for 3 "
                "product launches; the outdoor line sold $1.6M in its first season.",
                "Built a weekly GA4 and Looker Studio dashboard for the executive team, replacing "
                "4 separate agency reports.",
            ],
        ),
        Role(
            "Copperleaf Media",
            "Digital Marketing Specialist",
            "Atlanta, GA",
            "2017-09",
            "2021-03",
            [
                "Grew a client\u2019s organic traffic from 180K to 520K monthly sessions through "
                "technical SEO fixes and a 120-article content plan.",
                "Ran paid social campaigns for 12 B2B clients with budgets of $40K\u2013$250K, "
                "cutting average cost per lead by 35%.",
                "Set up HubSpot lead scoring with the sales team, lifting MQL-to-SQL conversion "
                "from 12% to 19%.",
            ],
        ),
        Role(
            "Peachtree Events Co.",
            "Marketing Coordinator",
            "Decatur, GA",
            "2015-06",
            "2017-08",
            [
                "Coordinated 25+ trade shows and client events a year, tracking $300K in event "
                "spend in Salesforce.",
                "Grew Instagram and LinkedIn audiences from 8K to 31K followers with a "
                "3-post-a-week content calendar.",
            ],
        ),
    ],
    education=[
        Degree(
            "Bachelor of Business Administration",
            "Marketing",
            "Georgia State University",
            "Atlanta, GA",
            "2015",
        )
    ],
    skills=[
        ("Channels", ["Paid Search", "Paid Social", "SEO", "Email Marketing", "Content Strategy"]),
        (
            "Tools",
            [
                "Google Ads",
                "Meta Ads Manager",
                "GA4",
                "Looker Studio",
                "HubSpot",
                "Klaviyo",
                "Salesforce",
                "SQL",
                "Asana",
            ],
        ),
        ("Strengths", ["Budget Management", "A/B Testing", "Team Leadership", "Go-to-Market"]),
    ],
    extras=[
        Extra(
            "Certifications",
            [
                Item("Google Ads Search Certification", ", 2023"),
                Item("HubSpot Inbound Marketing Certification", ", 2022"),
            ],
        )
    ],
    order=("summary", "experience", "skills", "extras", "education"),
    style=Style(
        font="Arial",
        size=10.5,
        name_size=24,
        accent="7A3E00",
        headings="caps",
        layout="inline",
        dates="mon",
        date_sep=" - ",
        center_header=True,
        skills_as_bullets=True,
        titles={"experience": "Career History", "skills": "Skills & Tools"},
    ),
)

GRACE = Person(
    slug="grace-adeyemi-registered-nurse",
    name="Grace Adeyemi",
    credentials="RN, BSN",
    headline="Registered Nurse \u2014 Cardiac Step-Down",
    email="grace.adeyemi@example.com",
    phone="(555) 010-0156",
    city="Columbus",
    region="OH",
    links=["linkedin.com/in/grace-adeyemi-example"],
    summary=(
        "Registered nurse with 10 years of experience in cardiac step-down and medical-surgical "
        "care, including 5 years as charge nurse on a 32-bed unit. Epic super-user and co-lead of "
        "a unit falls-prevention project. Seeking a move into nursing informatics or clinical "
        "project management."
    ),
    roles=[
        Role(
            "Mercy Valley Medical Center",
            "Charge Nurse, Cardiac Step-Down Unit",
            "Columbus, OH",
            "2021-06",
            None,
            [
                "Coordinate care for a 32-bed unit each shift: assign 8\u201310 RNs and 4 patient "
                "care technicians and manage an average of 14 admissions, discharges and "
                "transfers.",
                "Co-led a falls-prevention project (hourly rounding, bed alarms, teach-back); "
                "unit falls fell from 3.1 to 1.4 per 1,000 patient days in 12 months.",
                "Served as Epic super-user for the go-live of 1,200 nursing staff: wrote 6 tip "
                "sheets and ran 20 training sessions.",
                "Precepted 11 new-graduate nurses; all completed orientation on schedule.",
            ],
        ),
        Role(
            "Mercy Valley Medical Center",
            "Registered Nurse, Cardiac Step-Down Unit",
            "Columbus, OH",
            "2018-08",
            "2021-05",
            [
                "Cared for 4\u20135 telemetry patients per shift (post-PCI, heart failure, "
                "arrhythmias), titrating cardiac drips per protocol.",
                "Rewrote the heart-failure discharge teaching packet with the unit practice "
                "council; 30-day readmissions dropped from 24% to 17%.",
            ],
        ),
        Role(
            "St. Brigid Community Hospital",
            "Staff Nurse, Medical-Surgical",
            "Dayton, OH",
            "2016-07",
            "2018-07",
            [
                "Cared for 5\u20136 patients per shift on a 28-bed medical-surgical unit, "
                "including post-operative and diabetic patients.",
                "Joined the skin-care team that cut hospital-acquired pressure injuries by 40% "
                "through a turning schedule and weekly audits.",
            ],
        ),
    ],
    education=[
        Degree(
            "Bachelor of Science",
            "Nursing",
            "The Ohio State University",
            "Columbus, OH",
            "2016",
        )
    ],
    skills=[
        (
            "Clinical",
            [
                "Telemetry Monitoring",
                "Cardiac Drips",
                "Patient Education",
                "Care Coordination",
                "Clinical Documentation",
            ],
        ),
        (
            "Leadership & Systems",
            ["Charge Nurse", "Precepting", "Quality Improvement", "Epic", "Microsoft Excel"],
        ),
    ],
    extras=[
        Extra(
            "Licenses & Certifications",
            [
                Item("Registered Nurse", ", Ohio Board of Nursing (active)"),
                Item("Progressive Care Certified Nurse (PCCN)", ", AACN, 2020"),
                Item("ACLS and BLS", ", American Heart Association (current)"),
            ],
        )
    ],
    order=("summary", "extras", "experience", "education", "skills"),
    style=Style(
        font="Verdana",
        size=10,
        name_size=20,
        accent="1B5E7A",
        headings="word",
        layout="title_first",
        dates="num",
        titles={"summary": "Professional Profile", "experience": "Clinical Experience"},
    ),
)

DANIEL = Person(
    slug="daniel-kowalski-manufacturing-engineer",
    name="Daniel Kowalski",
    headline="Manufacturing Engineer | Lean Six Sigma Green Belt",
    email="daniel.kowalski@example.com",
    phone="(555) 010-0191",
    city="Milwaukee",
    region="WI",
    links=["linkedin.com/in/daniel-kowalski-example"],
    summary=(
        "Manufacturing engineer with 9 years of experience in machining, stamping and welding "
        "operations for automotive and industrial customers. Leads capital projects from business "
        "case to launch, reduces scrap and cycle time with Lean and Six Sigma, and works daily "
        "with quality, maintenance and suppliers. Interested in operations and technical project "
        "management roles."
    ),
    roles=[
        Role(
            "Lakeshore Precision Components",
            "Manufacturing Engineer II",
            "Waukesha, WI",
            "2020-01",
            None,
            [
                "Led a $1.3M automated machining cell project (two 5-axis Haas mills, a FANUC "
                "robot) from capital request to production launch; cycle time fell 42%.",
                "Reduced scrap on the aluminum housing line from 4.8% to 1.6% with a DMAIC "
                "project, saving $410K a year.",
                "Wrote PFMEAs and control plans for 18 new part numbers and led PPAP submissions "
                "to 2 automotive customers with no rejections.",
                "Designed quick-change fixtures in SolidWorks that cut changeover time from 55 to "
                "18 minutes (SMED).",
                "Run the weekly launch meeting with quality, maintenance, purchasing and 3 "
                "suppliers, tracking 120+ open actions to closure.",
            ],
        ),
        Role(
            "Ironbridge Automotive Systems",
            "Process Engineer",
            "Toledo, OH",
            "2016-06",
            "2019-12",
            [
                "Supported 3 stamping and robotic welding lines producing 1.1M brackets a year.",
                "Rolled out 5S and TPM with operators and maintenance, raising OEE from 63% to "
                "78% over 2 years.",
                "Introduced SPC charts in Minitab for 22 critical dimensions, cutting customer "
                "complaints from 14 to 3 a year.",
                "Trained 60 operators on new work instructions and error-proofing checks.",
            ],
        ),
    ],
    education=[
        Degree(
            "Bachelor of Science",
            "Mechanical Engineering",
            "Milwaukee School of Engineering",
            "Milwaukee, WI",
            "2016",
        )
    ],
    skills=[
        ("Engineering", ["SolidWorks", "AutoCAD", "GD&T", "CNC Programming", "FANUC Robotics"]),
        ("Quality", ["PFMEA", "Control Plans", "PPAP", "SPC", "Minitab"]),
        ("Continuous Improvement", ["DMAIC", "SMED", "5S", "TPM", "Microsoft Project"]),
    ],
    extras=[
        Extra(
            "Certifications",
            [
                Item("Lean Six Sigma Green Belt", " \u2014 ASQ, 2019"),
                Item("Engineer in Training (EIT)", " \u2014 State of Wisconsin, 2016"),
            ],
        )
    ],
    style=Style(
        font="Arial",
        size=10.5,
        accent="333333",
        headings="caps",
        layout="company_first",
        dates="mon",
        margin=0.75,
        titles={"experience": "Experience"},
    ),
)

OLIVIA = Person(
    slug="olivia-bennett-accountant",
    name="Olivia Bennett",
    credentials="CPA",
    headline="Senior Accountant",
    email="olivia.bennett@example.com",
    phone="(555) 010-0137",
    city="Charlotte",
    region="NC",
    links=["linkedin.com/in/olivia-bennett-example"],
    summary=(
        "CPA with 11 years in public accounting and corporate accounting for a manufacturer. Runs "
        "a 5-day month-end close, owns SOX controls for revenue and inventory, and led the finance "
        "side of a NetSuite implementation. Looking to move into FP&A or finance systems project "
        "roles."
    ),
    roles=[
        Role(
            "Harlow & Pine Manufacturing",
            "Senior Accountant",
            "Charlotte, NC",
            "2019-03",
            None,
            [
                "Shortened the month-end close from 9 to 5 business days by standardizing 140 "
                "reconciliations in BlackLine and scheduling journal entries.",
                "Prepare consolidated financial statements for 3 entities ($180M revenue) and "
                "variance commentary for the CFO.",
                "Led the finance workstream of the SAP-to-NetSuite migration: mapped the chart of "
                "accounts, tested 300 cases and trained 12 users.",
                "Own 26 SOX controls for revenue and inventory; closed 3 prior-year deficiencies "
                "with no new findings in the last two audits.",
            ],
        ),
        Role(
            "Keane & Stroud LLP",
            "Audit Senior",
            "Charlotte, NC",
            "2017-09",
            "2019-02",
            [
                "Ran fieldwork on 8 audit engagements a year for manufacturing and distribution "
                "clients with revenue of $20M\u2013$400M, supervising teams of 2\u20134.",
                "Drafted management letters that clients used to fix control gaps in inventory "
                "counts and purchasing approvals.",
            ],
        ),
        Role(
            "Keane & Stroud LLP",
            "Audit Associate",
            "Charlotte, NC",
            "2015-09",
            "2017-08",
            [
                "Tested revenue, inventory and fixed-asset balances and wrote workpapers reviewed "
                "by seniors and managers.",
            ],
        ),
    ],
    education=[
        Degree(
            "Master of Accountancy",
            None,
            "University of North Carolina at Charlotte",
            "Charlotte, NC",
            "2015",
        ),
        Degree(
            "Bachelor of Science",
            "Accounting",
            "Appalachian State University",
            "Boone, NC",
            "2014",
        ),
    ],
    skills=[
        (
            None,
            [
                "US GAAP",
                "Month-End Close",
                "Account Reconciliation",
                "Financial Reporting",
                "SOX Compliance",
                "Variance Analysis",
                "NetSuite",
                "SAP",
                "BlackLine",
                "Excel",
                "Power Query",
            ],
        )
    ],
    extras=[
        Extra(
            "Certification",
            [Item("Certified Public Accountant (CPA)", ", North Carolina, 2017")],
        )
    ],
    order=("summary", "experience", "education", "extras", "skills"),
    style=Style(
        font="Times New Roman",
        size=11,
        name_size=22,
        accent="000000",
        headings="word",
        layout="inline",
        dates="mon_dot",
        margin=0.9,
        titles={"summary": "Summary of Qualifications", "experience": "Work Experience"},
    ),
)

PEOPLE = [ALEX, DANA, MARCUS, SOFIA, TAYLOR, GRACE, DANIEL, OLIVIA]


# --------------------------------------------------------------------------- rendering


def format_date(iso: str | None, style: Style) -> str:
    """Show an ISO date the way this resume writes dates (None means Present)."""
    if iso is None:
        return style.present
    year = iso[:4]
    if style.dates == "year" or len(iso) == 4:
        return year
    month = int(iso[5:7]) - 1
    return {
        "mon": f"{_MON[month]} {year}",
        "mon_dot": f"{_MON_DOT[month]} {year}",
        "month": f"{_MONTH[month]} {year}",
        "num": f"{month + 1:02d}/{year}",
    }[style.dates]


def date_range(role: Role, style: Style) -> str:
    """'Jan 2021 – Present' in this resume's style."""
    return f"{format_date(role.start, style)}{style.date_sep}{format_date(role.end, style)}"


def _set_style_font(style_obj, name: str, size: float, color: str | None = None) -> None:
    """Give a style one concrete font; theme fonts would override the name otherwise."""
    style_obj.font.name = name
    style_obj.font.size = Pt(size)
    if color:
        style_obj.font.color.rgb = RGBColor.from_string(color)
    rfonts = style_obj.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:eastAsia"), name)
    rfonts.set(qn("w:cs"), name)


def _bottom_rule(ppr, color: str) -> None:
    """Add a thin line under a paragraph (section headings)."""
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", color)):
        bottom.set(qn(f"w:{key}"), value)
    border.append(bottom)
    # pBdr must come before these siblings for Word to accept the file.
    ppr.insert_element_before(
        border, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:contextualSpacing", "w:jc", "w:rPr"
    )


class Renderer:
    """Writes one Person into a python-docx Document."""

    def __init__(self, person: Person) -> None:
        self.p = person
        self.s = person.style
        self.doc = Document()
        self.text_width = PAGE_WIDTH - 2 * self.s.margin
        self._setup()

    def _setup(self) -> None:
        s = self.s
        section = self.doc.sections[0]
        section.page_width, section.page_height = Inches(PAGE_WIDTH), Inches(11)
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Inches(s.margin))
        section.top_margin = section.bottom_margin = Inches(min(s.margin, 0.7))
        styles = self.doc.styles
        _set_style_font(styles["Normal"], s.font, s.size)
        normal = styles["Normal"].paragraph_format
        normal.space_before, normal.space_after, normal.line_spacing = Pt(0), Pt(1), 1.05
        bullet = styles["List Bullet"].paragraph_format
        bullet.space_after = Pt(1.5)
        bullet.left_indent, bullet.first_line_indent = Inches(0.25), Inches(-0.18)
        heading = styles["Heading 1"]
        _set_style_font(heading, s.font, s.size + 1.5, s.accent)
        heading.font.bold = True
        heading.font.all_caps = False
        fmt = heading.paragraph_format
        fmt.space_before, fmt.space_after, fmt.keep_with_next = Pt(10), Pt(3), True
        _bottom_rule(heading.element.get_or_add_pPr(), s.accent)
        props = self.doc.core_properties
        props.author = props.last_modified_by = self.p.name
        props.title = f"{self.p.name} \u2013 Resume"
        props.created = props.modified = FIXED_DATE
        props.revision = 1
        props.comments = ""

    # -- small helpers

    def para(self, style: str | None = None, space_before: float = 0) -> Paragraph:
        """A new paragraph with a right tab stop at the text edge, for dates."""
        paragraph = self.doc.add_paragraph(style=style)
        paragraph.paragraph_format.space_before = Pt(space_before)
        paragraph.paragraph_format.tab_stops.add_tab_stop(
            Inches(self.text_width), WD_TAB_ALIGNMENT.RIGHT
        )
        return paragraph

    def heading(self, text: str) -> None:
        """A section heading: Word's Heading 1, or bold capitals with a rule."""
        if self.s.headings == "word":
            self.doc.add_heading(text, level=1)
            return
        paragraph = self.para(space_before=10)
        paragraph.paragraph_format.space_after = Pt(4)
        paragraph.paragraph_format.keep_with_next = True
        run = paragraph.add_run(text.upper())
        run.bold = True
        run.font.size = Pt(self.s.size + 1)
        run.font.color.rgb = RGBColor.from_string(self.s.accent)
        _bottom_rule(paragraph._p.get_or_add_pPr(), self.s.accent)

    def bullets(self, lines: list[str]) -> None:
        """Real Word list items (List Bullet style)."""
        for line in lines:
            self.doc.add_paragraph(line, style="List Bullet")

    # -- sections

    def header(self) -> None:
        """Name, headline and contact line."""
        p, s = self.p, self.s
        align = WD_ALIGN_PARAGRAPH.CENTER if s.center_header else WD_ALIGN_PARAGRAPH.LEFT
        name = self.doc.add_paragraph()
        name.alignment = align
        for text, size in ((p.name, s.name_size), (f", {p.credentials}", s.name_size - 6)):
            if text == ", ":
                continue
            run = name.add_run(text)
            run.bold = True
            run.font.size = Pt(size)
            run.font.color.rgb = RGBColor.from_string(s.accent)
        if p.headline:
            headline = self.doc.add_paragraph()
            headline.alignment = align
            headline.paragraph_format.space_after = Pt(2)
            run = headline.add_run(p.headline)
            run.font.size = Pt(s.size + 1)
            run.font.color.rgb = RGBColor.from_string("555555")
        parts = [f"{p.city}, {p.region}", p.phone, p.email, *p.links]
        # A contact line that wraps mid-item looks careless: put the links on their own line.
        lines = (
            [parts]
            if len(s.contact_sep.join(parts)) <= self._chars_per_line()
            else [
                parts[:3],
                parts[3:],
            ]
        )
        for items in lines:
            contact = self.doc.add_paragraph()
            contact.alignment = align
            contact.add_run(s.contact_sep.join(items)).font.size = Pt(s.size - 0.5)
        contact.paragraph_format.space_after = Pt(4)

    def _chars_per_line(self) -> int:
        """Rough capacity of one contact line, from the font's average glyph width."""
        em = _GLYPH_EM.get(self.s.font, 0.46)
        return int(self.text_width * 72 / ((self.s.size - 0.5) * em))

    def summary(self) -> None:
        """The summary paragraph."""
        self.heading(self.s.title("summary"))
        self.doc.add_paragraph(self.p.summary).paragraph_format.space_after = Pt(2)

    def experience(self) -> None:
        """Roles in the layout this resume uses."""
        self.heading(self.s.title("experience"))
        previous: Role | None = None
        for role in self.p.roles:
            same_employer = previous is not None and previous.employer == role.employer
            getattr(self, f"_role_{self.s.layout}")(role, same_employer)
            self.bullets(role.bullets)
            previous = role

    def _role_title_first(self, role: Role, same_employer: bool) -> None:
        top = self.para(space_before=6)
        top.paragraph_format.keep_with_next = True
        top.add_run(role.title).bold = True
        top.add_run("\t" + date_range(role, self.s))
        sub = self.para()
        sub.paragraph_format.keep_with_next = True
        sub.paragraph_format.space_after = Pt(2)
        sub.add_run(role.employer).italic = True
        sub.add_run(f", {role.location}").italic = True

    def _role_company_first(self, role: Role, same_employer: bool) -> None:
        if not same_employer:
            top = self.para(space_before=7)
            top.paragraph_format.keep_with_next = True
            top.add_run(role.employer.upper() if self.s.headings == "caps" else role.employer)
            top.runs[0].bold = True
            top.add_run("\t" + role.location)
        line = self.para(space_before=3 if same_employer else 0)
        line.paragraph_format.keep_with_next = True
        line.paragraph_format.space_after = Pt(2)
        title = line.add_run(role.title)
        title.italic = title.bold = True
        line.add_run("\t" + date_range(role, self.s))

    def _role_inline(self, role: Role, same_employer: bool) -> None:
        line = self.para(space_before=6)
        line.paragraph_format.keep_with_next = True
        line.paragraph_format.space_after = Pt(2)
        line.add_run(role.title).bold = True
        sep = " | " if self.s.headings == "caps" else ", "
        line.add_run(f"{sep}{role.employer}{sep}{role.location}")
        line.add_run("\t" + date_range(role, self.s))

    def education(self) -> None:
        """Degrees, newest first."""
        self.heading(self.s.title("education"))
        for degree in self.p.education:
            title = degree.study_type + (f" in {degree.area}" if degree.area else "")
            school = f"{degree.institution}, {degree.location}"
            first, second = (school, title) if self.s.layout == "company_first" else (title, school)
            top = self.para(space_before=3)
            top.paragraph_format.keep_with_next = True
            top.add_run(first).bold = True
            top.add_run("\t" + degree.end)
            self.para().add_run(second).italic = self.s.layout != "company_first"
            if degree.note:
                self.para().add_run(degree.note)

    def skills(self) -> None:
        """Skill keywords, grouped by category when the resume has categories."""
        self.heading(self.s.title("skills"))
        for category, keywords in self.p.skills:
            style = "List Bullet" if self.s.skills_as_bullets else None
            line = self.para(style=style)
            line.paragraph_format.space_after = Pt(2)
            if category:
                line.add_run(f"{category}: ").bold = True
            line.add_run(", ".join(keywords))

    def extras(self) -> None:
        """Certifications, projects, volunteer work."""
        for extra in self.p.extras:
            self.heading(extra.title)
            for item in extra.items:
                line = self.para(space_before=2 if item.bullets else 0)
                line.paragraph_format.space_after = Pt(1)
                line.paragraph_format.keep_with_next = bool(item.bullets)
                line.add_run(item.head).bold = True
                line.add_run(item.text)
                self.bullets(item.bullets)

    def render(self) -> Document:
        """Build the whole document."""
        self.header()
        for section in self.p.order:
            getattr(self, section)()
        return self.doc


def truth(person: Person) -> dict:
    """The hand-written truth for the parser tests, from the same data that was rendered."""
    return {
        "basics": {
            "name": person.name,
            "email": person.email,
            "phone": person.phone,
            "location": {"city": person.city, "region": person.region},
            "profiles": [{"url": link} for link in person.links],
        },
        "work": [
            {
                "name": role.employer,
                "position": role.title,
                "startDate": role.start,
                "endDate": role.end,
            }
            for role in person.roles
        ],
        "education": [
            {
                "institution": degree.institution,
                "studyType": degree.study_type,
                "area": degree.area,
                "endDate": degree.end,
            }
            for degree in person.education
        ],
        "skills": [keyword for _, keywords in person.skills for keyword in keywords],
    }


def convert_to_pdf(docx_files: list[Path], outdir: Path) -> None:
    """Convert with LibreOffice, using a private profile so parallel runs do not collide."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("LibreOffice (soffice) is needed for the PDFs: apt-get install libreoffice-writer")
    with tempfile.TemporaryDirectory() as profile:
        command = [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, docx_files),
        ]
        subprocess.run(command, check=True, capture_output=True, timeout=300)


def main() -> None:
    """Write every sample's DOCX, PDF and truth file, then report page counts and sizes."""
    TRUTH_DIR.mkdir(parents=True, exist_ok=True)
    docx_files = []
    for person in PEOPLE:
        path = HERE / f"{person.slug}.docx"
        Renderer(person).render().save(str(path))
        docx_files.append(path)
        truth_path = TRUTH_DIR / f"{person.slug}.truth.json"
        truth_path.write_text(json.dumps(truth(person), indent=2, ensure_ascii=False) + "\n")
    convert_to_pdf(docx_files, HERE)
    for path in docx_files:
        pdf = path.with_suffix(".pdf")
        pages = len(pypdfium2.PdfDocument(pdf))
        sizes = f"{path.stat().st_size // 1024} KB docx, {pdf.stat().st_size // 1024} KB pdf"
        print(f"{path.stem}: {pages} page(s), {sizes}")


if __name__ == "__main__":
    main()
