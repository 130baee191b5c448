"""Contains all the data models used in inputs/outputs"""

from .accept_input_request import AcceptInputRequest
from .access_log_entry import AccessLogEntry
from .agency_directory import AgencyDirectory
from .agency_ref import AgencyRef
from .attachment import Attachment
from .attachment_kind_enum import AttachmentKindEnum
from .attachment_upload_request import AttachmentUploadRequest
from .attachment_uploader import AttachmentUploader
from .case import Case
from .case_input_request import CaseInputRequest
from .case_location import CaseLocation
from .case_location_request import CaseLocationRequest
from .child_referral import ChildReferral
from .complete_input_request import CompleteInputRequest
from .consent_output import ConsentOutput
from .consent_request import ConsentRequest
from .continued_presence_output import ContinuedPresenceOutput
from .continued_presence_request import ContinuedPresenceRequest
from .deadline import Deadline
from .deadline_kind_enum import DeadlineKindEnum
from .direction_enum import DirectionEnum
from .disclosure_basis_for_person_request import DisclosureBasisForPersonRequest
from .disclosure_basis_for_person_request_disclosure_basis import DisclosureBasisForPersonRequestDisclosureBasis
from .disclosure_basis_output import DisclosureBasisOutput
from .disclosure_basis_request import DisclosureBasisRequest
from .duplicate import Duplicate
from .event import Event
from .event_data import EventData
from .event_feed_page import EventFeedPage
from .event_referral import EventReferral
from .event_type_enum import EventTypeEnum
from .exception_enum import ExceptionEnum
from .forward_input_request import ForwardInputRequest
from .group_by_enum import GroupByEnum
from .hhs_notification import HhsNotification
from .hhs_notification_input_request import HhsNotificationInputRequest
from .hold_input_request import HoldInputRequest
from .indicators_enum import IndicatorsEnum
from .information_source_enum import InformationSourceEnum
from .location import Location
from .location_request import LocationRequest
from .match_enum import MatchEnum
from .me import Me
from .media_type_enum import MediaTypeEnum
from .method_enum import MethodEnum
from .note import Note
from .note_author import NoteAuthor
from .note_create_request import NoteCreateRequest
from .office import Office
from .organization import Organization
from .organization_request import OrganizationRequest
from .other_identifier import OtherIdentifier
from .other_identifier_request import OtherIdentifierRequest
from .outcome_code_enum import OutcomeCodeEnum
from .paginated_access_log_entry_list import PaginatedAccessLogEntryList
from .paginated_agency_directory_list import PaginatedAgencyDirectoryList
from .paginated_attachment_list import PaginatedAttachmentList
from .paginated_note_list import PaginatedNoteList
from .paginated_referral_list import PaginatedReferralList
from .paginated_status_event_list import PaginatedStatusEventList
from .party import Party
from .patched_referral_update_request import PatchedReferralUpdateRequest
from .patched_webhook_subscription_update_input_request import PatchedWebhookSubscriptionUpdateInputRequest
from .person import Person
from .person_input_request import PersonInputRequest
from .priority_enum import PriorityEnum
from .problem import Problem
from .problem_errors_item import ProblemErrorsItem
from .protection_basis_enum import ProtectionBasisEnum
from .protection_input_request import ProtectionInputRequest
from .reason_code_enum import ReasonCodeEnum
from .recall_input_request import RecallInputRequest
from .receiver_agency import ReceiverAgency
from .receiver_input_request import ReceiverInputRequest
from .referral import Referral
from .referral_create_request import ReferralCreateRequest
from .referral_created import ReferralCreated
from .referral_link import ReferralLink
from .referral_stats import ReferralStats
from .referral_stats_row import ReferralStatsRow
from .referral_stats_row_status_enum import ReferralStatsRowStatusEnum
from .referral_type_enum import ReferralTypeEnum
from .referrals_list_direction import ReferralsListDirection
from .referrals_list_priority import ReferralsListPriority
from .referrals_list_referral_type import ReferralsListReferralType
from .reject_input_request import RejectInputRequest
from .request_info_input_request import RequestInfoInputRequest
from .respond_input_request import RespondInputRequest
from .role_enum import RoleEnum
from .safe_contact import SafeContact
from .safe_contact_request import SafeContactRequest
from .scan_status_enum import ScanStatusEnum
from .sex_enum import SexEnum
from .stats_referrals_format import StatsReferralsFormat
from .status_event import StatusEvent
from .status_event_actor import StatusEventActor
from .trafficking_types_enum import TraffickingTypesEnum
from .us_citizen_or_lpr_enum import UsCitizenOrLprEnum
from .webhook_delivery import WebhookDelivery
from .webhook_delivery_attempt import WebhookDeliveryAttempt
from .webhook_delivery_event import WebhookDeliveryEvent
from .webhook_delivery_page import WebhookDeliveryPage
from .webhook_delivery_status_enum import WebhookDeliveryStatusEnum
from .webhook_secret_rotated import WebhookSecretRotated
from .webhook_subscription import WebhookSubscription
from .webhook_subscription_create_input_request import WebhookSubscriptionCreateInputRequest
from .webhook_subscription_created import WebhookSubscriptionCreated
from .webhook_subscription_page import WebhookSubscriptionPage
from .withdraw_input_request import WithdrawInputRequest
from .withheld_enum import WithheldEnum

__all__ = (
    "AcceptInputRequest",
    "AccessLogEntry",
    "AgencyDirectory",
    "AgencyRef",
    "Attachment",
    "AttachmentKindEnum",
    "AttachmentUploader",
    "AttachmentUploadRequest",
    "Case",
    "CaseInputRequest",
    "CaseLocation",
    "CaseLocationRequest",
    "ChildReferral",
    "CompleteInputRequest",
    "ConsentOutput",
    "ConsentRequest",
    "ContinuedPresenceOutput",
    "ContinuedPresenceRequest",
    "Deadline",
    "DeadlineKindEnum",
    "DirectionEnum",
    "DisclosureBasisForPersonRequest",
    "DisclosureBasisForPersonRequestDisclosureBasis",
    "DisclosureBasisOutput",
    "DisclosureBasisRequest",
    "Duplicate",
    "Event",
    "EventData",
    "EventFeedPage",
    "EventReferral",
    "EventTypeEnum",
    "ExceptionEnum",
    "ForwardInputRequest",
    "GroupByEnum",
    "HhsNotification",
    "HhsNotificationInputRequest",
    "HoldInputRequest",
    "IndicatorsEnum",
    "InformationSourceEnum",
    "Location",
    "LocationRequest",
    "MatchEnum",
    "Me",
    "MediaTypeEnum",
    "MethodEnum",
    "Note",
    "NoteAuthor",
    "NoteCreateRequest",
    "Office",
    "Organization",
    "OrganizationRequest",
    "OtherIdentifier",
    "OtherIdentifierRequest",
    "OutcomeCodeEnum",
    "PaginatedAccessLogEntryList",
    "PaginatedAgencyDirectoryList",
    "PaginatedAttachmentList",
    "PaginatedNoteList",
    "PaginatedReferralList",
    "PaginatedStatusEventList",
    "Party",
    "PatchedReferralUpdateRequest",
    "PatchedWebhookSubscriptionUpdateInputRequest",
    "Person",
    "PersonInputRequest",
    "PriorityEnum",
    "Problem",
    "ProblemErrorsItem",
    "ProtectionBasisEnum",
    "ProtectionInputRequest",
    "ReasonCodeEnum",
    "RecallInputRequest",
    "ReceiverAgency",
    "ReceiverInputRequest",
    "Referral",
    "ReferralCreated",
    "ReferralCreateRequest",
    "ReferralLink",
    "ReferralsListDirection",
    "ReferralsListPriority",
    "ReferralsListReferralType",
    "ReferralStats",
    "ReferralStatsRow",
    "ReferralStatsRowStatusEnum",
    "ReferralTypeEnum",
    "RejectInputRequest",
    "RequestInfoInputRequest",
    "RespondInputRequest",
    "RoleEnum",
    "SafeContact",
    "SafeContactRequest",
    "ScanStatusEnum",
    "SexEnum",
    "StatsReferralsFormat",
    "StatusEvent",
    "StatusEventActor",
    "TraffickingTypesEnum",
    "UsCitizenOrLprEnum",
    "WebhookDelivery",
    "WebhookDeliveryAttempt",
    "WebhookDeliveryEvent",
    "WebhookDeliveryPage",
    "WebhookDeliveryStatusEnum",
    "WebhookSecretRotated",
    "WebhookSubscription",
    "WebhookSubscriptionCreated",
    "WebhookSubscriptionCreateInputRequest",
    "WebhookSubscriptionPage",
    "WithdrawInputRequest",
    "WithheldEnum",
)
