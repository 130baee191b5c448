from enum import StrEnum


class ProtectionBasisEnum(StrEnum):
    CONTINUED_PRESENCE = "continued_presence"
    OTHER = "other"
    T_VISA = "t_visa"
    U_VISA = "u_visa"
    VAWA = "vawa"

    def __str__(self) -> str:
        return str(self.value)
