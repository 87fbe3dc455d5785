"""Export: readable renderings of a resume (Markdown now; DOCX and reports join later)."""

from __future__ import annotations

from coach.models import Resume


def _span(start: str | None, end: str | None) -> str:
    if not start and not end:
        return ""
    return f"{start or '?'} – {end or 'Present'}"


def _contact_line(resume: Resume) -> str:
    basics = resume.basics
    location = basics.location
    place = (
        ", ".join(part for part in (location.city, location.region, location.countryCode) if part)
        if location
        else ""
    )
    parts = [basics.email, basics.phone, place, basics.url]
    parts += [profile.url for profile in basics.profiles]
    return " | ".join(part for part in parts if part)


def resume_to_markdown(resume: Resume) -> str:
    """A plain Markdown view of a resume, one section per JSON Resume part."""
    basics = resume.basics
    out: list[str] = [f"# {basics.name or 'Unnamed candidate'}"]
    if basics.label:
        out.append(f"**{basics.label}**")
    contact = _contact_line(resume)
    if contact:
        out.append(contact)
    if basics.summary:
        out += ["", "## Summary", "", basics.summary]
    if resume.work:
        out += ["", "## Experience"]
        for work in resume.work:
            title = " — ".join(part for part in (work.position, work.name) if part)
            out += ["", f"### {title or 'Role'}"]
            meta = " · ".join(p for p in (_span(work.startDate, work.endDate), work.location) if p)
            if meta:
                out.append(f"*{meta}*")
            out += [f"- {highlight}" for highlight in work.highlights]
    if resume.projects:
        out += ["", "## Projects"]
        for project in resume.projects:
            out += ["", f"### {project.name or 'Project'}"]
            if project.description:
                out.append(project.description)
            out += [f"- {highlight}" for highlight in project.highlights]
    if resume.education:
        out += ["", "## Education", ""]
        for edu in resume.education:
            degree = " in ".join(p for p in (edu.studyType, edu.area) if p)
            line = ", ".join(p for p in (degree, edu.institution) if p)
            when = _span(edu.startDate, edu.endDate) if edu.startDate else (edu.endDate or "")
            out.append(f"- {line}" + (f" ({when})" if when else ""))
    if resume.skills:
        out += ["", "## Skills", ""]
        for skill in resume.skills:
            label = f"**{skill.name}:** " if skill.name else ""
            out.append(f"- {label}{', '.join(skill.keywords)}")
    if resume.certificates:
        out += ["", "## Certifications", ""]
        for cert in resume.certificates:
            extra = ", ".join(p for p in (cert.issuer, cert.date) if p)
            out.append(f"- {cert.name}" + (f" ({extra})" if extra else ""))
    if resume.languages:
        out += ["", "## Languages", ""]
        out += [
            f"- {lang.language}" + (f" ({lang.fluency})" if lang.fluency else "")
            for lang in resume.languages
        ]
    return "\n".join(out) + "\n"
