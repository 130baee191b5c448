from enum import StrEnum


class IndicatorsEnum(StrEnum):
    BRANDING_OR_TATTOOS = "branding_or_tattoos"
    COMMERCIAL_SEX_COERCED = "commercial_sex_coerced"
    COMMERCIAL_SEX_MINOR = "commercial_sex_minor"
    DEBT_BONDAGE = "debt_bondage"
    DECEPTIVE_RECRUITMENT = "deceptive_recruitment"
    DOCUMENTS_WITHHELD = "documents_withheld"
    EMPLOYER_HOUSING = "employer_housing"
    EXCESSIVE_HOURS = "excessive_hours"
    FEAR_OF_AUTHORITIES = "fear_of_authorities"
    ISOLATION = "isolation"
    MALNOURISHED_OR_UNTREATED = "malnourished_or_untreated"
    MOVEMENT_RESTRICTED = "movement_restricted"
    MULTIPLE_PEOPLE_ONE_ADDRESS = "multiple_people_one_address"
    NOT_IN_CONTROL_OF_MONEY = "not_in_control_of_money"
    SCRIPTED_ANSWERS = "scripted_answers"
    THREATS_AGAINST_FAMILY = "threats_against_family"
    THREATS_OR_VIOLENCE = "threats_or_violence"
    UNPAID_OR_UNDERPAID = "unpaid_or_underpaid"

    def __str__(self) -> str:
        return str(self.value)
