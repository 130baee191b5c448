"""Published code lists. Each is part of the API contract and rendered into the OpenAPI description."""

from django.db import models


class Priority(models.TextChoices):
    ROUTINE = "routine", "Routine"
    URGENT = "urgent", "Urgent"
    IMMEDIATE_DANGER = "immediate_danger", "Immediate danger"


PRIORITY_RANK = {Priority.ROUTINE: 0, Priority.URGENT: 1, Priority.IMMEDIATE_DANGER: 2}


class TraffickingType(models.TextChoices):
    SEX = "sex", "Sex trafficking"
    LABOR = "labor", "Labor trafficking"


class PersonRole(models.TextChoices):
    VICTIM = "victim", "Victim"
    POTENTIAL_VICTIM = "potential_victim", "Potential victim"
    SUSPECT = "suspect", "Suspected trafficker"
    WITNESS = "witness", "Witness"


VICTIM_ROLES = {PersonRole.VICTIM, PersonRole.POTENTIAL_VICTIM}


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    X = "x", "X"
    UNKNOWN = "unknown", "Unknown"


class InformationSource(models.TextChoices):
    """Where a note's information came from: 8 U.S.C. 1367(a)(1) forbids adverse decisions based only on
    information from the trafficker or abuser."""

    VICTIM = "victim", "The victim"
    LAW_ENFORCEMENT = "law_enforcement", "Law enforcement"
    THIRD_PARTY = "third_party", "A third party"
    SUSPECTED_PERPETRATOR = "suspected_perpetrator", "The suspected trafficker or abuser"
    OTHER = "other", "Other"


# Indicators of human trafficking, after the DHS Blue Campaign and State Department indicator lists.
INDICATORS = {
    "debt_bondage": "Owes a debt to an employer or recruiter that they cannot pay off",
    "documents_withheld": "Identity or travel documents held by someone else",
    "movement_restricted": "Not free to come and go, or escorted at all times",
    "isolation": "Isolated from family, community or the public",
    "threats_or_violence": "Threatened, or signs of physical abuse",
    "threats_against_family": "Threats against family members",
    "deceptive_recruitment": "Recruited with false promises about the work or conditions",
    "unpaid_or_underpaid": "Unpaid, paid very little, or pay withheld",
    "excessive_hours": "Works excessively long hours or without days off",
    "employer_housing": "Lives where they work, or in housing controlled by the employer",
    "scripted_answers": "Answers appear coached or scripted",
    "not_in_control_of_money": "Not in control of their own money",
    "commercial_sex_minor": "A minor engaged in commercial sex",
    "commercial_sex_coerced": "Commercial sex induced by force, fraud or coercion",
    "fear_of_authorities": "Fear of law enforcement or immigration authorities",
    "malnourished_or_untreated": "Malnourished or without needed medical care",
    "branding_or_tattoos": "Tattoos or branding indicating ownership",
    "multiple_people_one_address": "Many people living at one address with one controller",
}


class RejectReason(models.TextChoices):
    NOT_IN_JURISDICTION = "not_in_jurisdiction", "Outside the receiver's jurisdiction or mission"
    INSUFFICIENT_INFORMATION = "insufficient_information", "Not enough information to act"
    DUPLICATE = "duplicate", "Duplicates an earlier referral"
    NO_TRAFFICKING_INDICATORS = "no_trafficking_indicators", "No indicators of trafficking"
    PERSON_DECLINED = "person_declined", "The person declined"
    OTHER = "other", "Other (explain in reason)"


class OutcomeCode(models.TextChoices):
    SERVICES_PROVIDED = "services_provided", "Victim services provided"
    CASE_OPENED = "case_opened", "Investigation opened"
    CONTINUED_PRESENCE_GRANTED = "continued_presence_granted", "Continued Presence granted"
    CONTINUED_PRESENCE_DENIED = "continued_presence_denied", "Continued Presence denied"
    SCREENED_ELIGIBLE = "screened_eligible", "Screened: may be eligible for T or U status"
    SCREENED_NOT_ELIGIBLE = "screened_not_eligible", "Screened: not eligible"
    INFORMATION_PROVIDED = "information_provided", "Information provided"
    DECLARATION_SIGNED = "declaration_signed", "Form I-914 Supplement B declaration signed (T visa)"
    CERTIFICATION_SIGNED = "certification_signed", "Form I-918 Supplement B certification signed (U visa)"
    DECLINED_TO_CERTIFY = "declined_to_certify", "The agency declined to sign a Supplement B"
    CERTIFICATION_CONFIRMED = "certification_confirmed", "The signing agency confirmed the Supplement B"
    CERTIFICATION_NOT_CONFIRMED = "certification_not_confirmed", "The signing agency did not confirm the Supplement B"
    NOTED_ON_APPLICATION = "noted_on_application", "USCIS noted the information on the pending application"
    REFERRED_ELSEWHERE = "referred_elsewhere", "Referred to another agency or provider"
    PERSON_DECLINED = "person_declined", "The person declined services"
    UNABLE_TO_CONTACT = "unable_to_contact", "Unable to contact the person"
    NO_ACTION = "no_action", "No action taken"
    OTHER = "other", "Other (explain in outcome)"


class CitizenOrLpr(models.TextChoices):
    """Whether a person is a U.S. citizen or lawful permanent resident: the HHS child notice covers only
    foreign national minors (22 U.S.C. 7105(b)(1)(G))."""

    YES = "yes", "U.S. citizen or lawful permanent resident"
    NO = "no", "Neither"
    UNKNOWN = "unknown", "Not known"


class ProtectionBasis(models.TextChoices):
    """What a person's 8 U.S.C. 1367 protection rests on (1367(a)(2))."""

    T_VISA = "t_visa", "Applied for or holds T nonimmigrant status (8 U.S.C. 1101(a)(15)(T))"
    U_VISA = "u_visa", "Applied for or holds U nonimmigrant status (8 U.S.C. 1101(a)(15)(U))"
    VAWA = "vawa", "VAWA self-petitioner or related relief (8 U.S.C. 1367(a)(2))"
    CONTINUED_PRESENCE = "continued_presence", "Continued Presence (22 U.S.C. 7105(c)(3)), protected by DHS policy"
    OTHER = "other", "Other relief covered by 8 U.S.C. 1367"


class DisclosureException(models.TextChoices):
    """The exceptions of 8 U.S.C. 1367(b) under which a protected person's information may go to an agency
    that is not otherwise allowed to receive it."""

    B2_LAW_ENFORCEMENT = (
        "b2_law_enforcement",
        "1367(b)(2): to law enforcement officials for a legitimate law enforcement purpose",
    )
    B4_WAIVER = "b4_waiver", "1367(b)(4): every individual in the case is an adult and has waived the protection"
    B5_BENEFITS = "b5_benefits", "1367(b)(5): to a benefit-granting agency for an eligibility determination"
    B6_VICTIM_SERVICES = "b6_victim_services", "1367(b)(6): to a nonprofit victim service provider for victim services"


class HhsNotificationMethod(models.TextChoices):
    """How HHS (Office on Trafficking in Persons) was notified of a possible child victim."""

    SHEPHERD = "shepherd", "Request for Assistance in HHS's Shepherd system (gives a request number)"
    BACKUP_FORM = "backup_form", "Backup Request for Assistance form"
    PHONE = "phone", "By telephone"


class Withheld(models.TextChoices):
    """Why a person is masked even for a caller with ``pii:read``."""

    PROTECTED_1367 = "1367", "Protected by 8 U.S.C. 1367 and the receiver may not receive it without a basis"
    RECALL = "recall", "The sender recalled the referral (sent in error)"
