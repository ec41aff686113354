// Copied unchanged from shared/data/graph/ts-types-excerpt.ts (provenance below) for tests/csdl.rs.
// Excerpt of @microsoft/microsoft-graph-types-beta@0.44.0-preview (npm, published 2026-04-06T22:06:31Z),
// file microsoft-graph.d.ts (generated from the Graph beta CSDL; repo github.com/microsoftgraph/msgraph-beta-typescript-typings).
// Declarations copied VERBATIM, in the order listed; nothing edited. Names searched but NOT present in the package:
//   AccessPackageRequestType, AccessPackageRequestState, AccessPackageAssignmentState, AccessPackageSubjectType, EntitlementManagementSchedule
// Conventions of this package: every property optional (?), every value NullableOption<T> = T | null, Edm.DateTimeOffset/Date/Duration -> string,
// Edm.Int32 -> number, enums -> string-literal unions (incl. "unknownFutureValue"), derived types -> "extends", navigation properties inline.

export type NullableOption<T> = T | null;
export type AccessPackageAssignmentRequestFilterByCurrentUserOptions =
    | "target"
    | "createdBy"
    | "approver"
    | "unknownFutureValue";
export type AccessPackageCustomExtensionHandlerStatus = "requestSent" | "requestReceived" | "unknownFutureValue";
export type AccessPackageCustomExtensionStage =
    | "assignmentRequestCreated"
    | "assignmentRequestApproved"
    | "assignmentRequestGranted"
    | "assignmentRequestRemoved"
    | "assignmentFourteenDaysBeforeExpiration"
    | "assignmentOneDayBeforeExpiration"
    | "unknownFutureValue";
export type AccessPackageSubjectLifecycle = "notDefined" | "notGoverned" | "governed" | "unknownFutureValue";
export type CustomExtensionCalloutInstanceStatus =
    | "calloutSent"
    | "callbackReceived"
    | "calloutFailed"
    | "callbackTimedOut"
    | "waitingForCallback"
    | "unknownFutureValue";
export type DayOfWeek = "sunday" | "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday";
export type ExpirationPatternType = "notSpecified" | "noExpiration" | "afterDateTime" | "afterDuration";
export type RecurrencePatternType =
    | "daily"
    | "weekly"
    | "absoluteMonthly"
    | "relativeMonthly"
    | "absoluteYearly"
    | "relativeYearly";
export type RecurrenceRangeType = "endDate" | "noEnd" | "numbered";
export type WeekIndex = "first" | "second" | "third" | "fourth" | "last";
export interface Entity {
    // The unique identifier for an entity. Read-only.
    id?: string;
}
export interface EntitlementManagement extends Entity {
    accessPackageAssignmentApprovals?: NullableOption<Approval[]>;
    /**
     * Represents the policy that governs which subjects can request or be assigned an access package via an access package
     * assignment.
     */
    accessPackageAssignmentPolicies?: NullableOption<AccessPackageAssignmentPolicy[]>;
    /**
     * Represents access package assignment requests created by or on behalf of a user. DO NOT USE. TO BE RETIRED SOON. Use
     * the assignmentRequests relationship instead.
     */
    accessPackageAssignmentRequests?: NullableOption<AccessPackageAssignmentRequest[]>;
    // Represents the resource-specific role which a subject has been assigned through an access package assignment.
    accessPackageAssignmentResourceRoles?: NullableOption<AccessPackageAssignmentResourceRole[]>;
    // The assignment of an access package to a subject for a period of time.
    accessPackageAssignments?: NullableOption<AccessPackageAssignment[]>;
    // A container of access packages.
    accessPackageCatalogs?: NullableOption<AccessPackageCatalog[]>;
    // A reference to the geolocation environment in which a resource is located.
    accessPackageResourceEnvironments?: NullableOption<AccessPackageResourceEnvironment[]>;
    // Represents a request to add or remove a resource to or from a catalog respectively.
    accessPackageResourceRequests?: NullableOption<AccessPackageResourceRequest[]>;
    // A reference to both a scope within a resource, and a role in that resource for that scope.
    accessPackageResourceRoleScopes?: NullableOption<AccessPackageResourceRoleScope[]>;
    // A reference to a resource associated with an access package catalog.
    accessPackageResources?: NullableOption<AccessPackageResource[]>;
    // Represents access package objects.
    accessPackages?: NullableOption<AccessPackage[]>;
    // Represents access package assignment requests created by or on behalf of a user.
    assignmentRequests?: NullableOption<AccessPackageAssignmentRequest[]>;
    // Represents references to a directory or domain of another organization whose users can request access.
    connectedOrganizations?: NullableOption<ConnectedOrganization[]>;
    // Represents the settings that control the behavior of Microsoft Entra entitlement management.
    settings?: NullableOption<EntitlementManagementSettings>;
    // Represents the subjects within entitlement management.
    subjects?: NullableOption<AccessPackageSubject[]>;
}
export interface AccessPackage extends Entity {
    // Identifier of the access package catalog referencing this access package. Read-only.
    catalogId?: NullableOption<string>;
    // The userPrincipalName of the user or identity of the subject who created this resource. Read-only.
    createdBy?: NullableOption<string>;
    /**
     * The Timestamp type represents date and time information using ISO 8601 format and is always in UTC time. For example,
     * midnight UTC on Jan 1, 2014 is 2014-01-01T00:00:00Z. Read-only.
     */
    createdDateTime?: NullableOption<string>;
    // The description of the access package.
    description?: NullableOption<string>;
    // The display name of the access package. Supports $filter (eq, contains).
    displayName?: NullableOption<string>;
    // Indicates whether the access package is hidden from the requestor.
    isHidden?: NullableOption<boolean>;
    // Indicates whether role scopes are visible.
    isRoleScopesVisible?: NullableOption<boolean>;
    // The userPrincipalName of the user who last modified this resource. Read-only.
    modifiedBy?: NullableOption<string>;
    /**
     * The Timestamp type represents date and time information using ISO 8601 format and is always in UTC time. For example,
     * midnight UTC on Jan 1, 2014 is 2014-01-01T00:00:00Z. Read-only.
     */
    modifiedDateTime?: NullableOption<string>;
    uniqueName?: NullableOption<string>;
    // Read-only. Nullable. Supports $expand.
    accessPackageAssignmentPolicies?: NullableOption<AccessPackageAssignmentPolicy[]>;
    accessPackageCatalog?: NullableOption<AccessPackageCatalog>;
    accessPackageResourceRoleScopes?: NullableOption<AccessPackageResourceRoleScope[]>;
    // The access packages that are incompatible with this package. Read-only.
    accessPackagesIncompatibleWith?: NullableOption<AccessPackage[]>;
    // The access packages whose assigned users are ineligible to be assigned this access package.
    incompatibleAccessPackages?: NullableOption<AccessPackage[]>;
    // The groups whose members are ineligible to be assigned this access package.
    incompatibleGroups?: NullableOption<Group[]>;
}
export interface AccessPackageAssignment extends Entity {
    // The identifier of the access package. Read-only.
    accessPackageId?: NullableOption<string>;
    // The identifier of the access package assignment policy. Read-only.
    assignmentPolicyId?: NullableOption<string>;
    /**
     * The state of the access package assignment. Possible values are Delivering, Delivered, or Expired. Read-only. Supports
     * $filter (eq).
     */
    assignmentState?: NullableOption<string>;
    /**
     * More information about the assignment lifecycle. Possible values include Delivering, Delivered,
     * AutoAssignmentInGracePeriod, NearExpiry1DayNotificationTriggered, or ExpiredNotificationTriggered. Read-only.
     */
    assignmentStatus?: NullableOption<string>;
    // The identifier of the catalog containing the access package. Read-only.
    catalogId?: NullableOption<string>;
    // Information about all the custom extension calls that were made during the access package assignment workflow.
    customExtensionCalloutInstances?: NullableOption<CustomExtensionCalloutInstance[]>;
    /**
     * The Timestamp type represents date and time information using ISO 8601 format and is always in UTC time. For example,
     * midnight UTC on Jan 1, 2014 is 2014-01-01T00:00:00Z
     */
    expiredDateTime?: NullableOption<string>;
    // Indicates whether the access package assignment is extended. Read-only.
    isExtended?: NullableOption<boolean>;
    // When the access assignment is to be in place. Read-only.
    schedule?: NullableOption<RequestSchedule>;
    /**
     * This property should not be used as a dependency, as it may change without notice. Instead, expand the target
     * relationship and use the objectId property. Read-only.
     */
    targetId?: NullableOption<string>;
    // Read-only. Nullable. Supports $filter (eq) on the id property and $expand query parameters.
    accessPackage?: NullableOption<AccessPackage>;
    // Read-only. Nullable. Supports $filter (eq) on the id property
    accessPackageAssignmentPolicy?: NullableOption<AccessPackageAssignmentPolicy>;
    accessPackageAssignmentRequests?: NullableOption<AccessPackageAssignmentRequest[]>;
    // The resource roles delivered to the target user for this assignment. Read-only. Nullable.
    accessPackageAssignmentResourceRoles?: NullableOption<AccessPackageAssignmentResourceRole[]>;
    // The subject of the access package assignment. Read-only. Nullable. Supports $expand. Supports $filter (eq) on objectId.
    target?: NullableOption<AccessPackageSubject>;
}
export interface AccessPackageAssignmentRequest extends Entity {
    // Answers provided by the requestor to accessPackageQuestions asked of them at the time of request.
    answers?: NullableOption<AccessPackageAnswer[]>;
    /**
     * The date of the end of processing, either successful or failure, of a request. The Timestamp type represents date and
     * time information using ISO 8601 format and is always in UTC time. For example, midnight UTC on Jan 1, 2014 is
     * 2014-01-01T00:00:00Z. Read-only.
     */
    completedDate?: NullableOption<string>;
    /**
     * The Timestamp type represents date and time information using ISO 8601 format and is always in UTC time. For example,
     * midnight UTC on Jan 1, 2014 is 2014-01-01T00:00:00Z. Read-only.
     */
    createdDateTime?: NullableOption<string>;
    // Information about all the custom extension calls that were made during the access package assignment request workflow.
    customExtensionCalloutInstances?: NullableOption<CustomExtensionCalloutInstance[]>;
    // A collection of custom workflow extension instances being run on an assignment request. Read-only.
    customExtensionHandlerInstances?: NullableOption<CustomExtensionHandlerInstance[]>;
    /**
     * The Timestamp type represents date and time information using ISO 8601 format and is always in UTC time. For example,
     * midnight UTC on Jan 1, 2014 is 2014-01-01T00:00:00Z
     */
    expirationDateTime?: NullableOption<string>;
    history?: NullableOption<RequestActivity[]>;
    // True if the request isn't to be processed for assignment.
    isValidationOnly?: NullableOption<boolean>;
    // The requestor's supplied justification.
    justification?: NullableOption<string>;
    /**
     * One of PendingApproval, Canceled, Denied, Delivering, Delivered, PartiallyDelivered, DeliveryFailed, Submitted, or
     * Scheduled. Read-only.
     */
    requestState?: NullableOption<string>;
    // More information on the request processing status. Read-only.
    requestStatus?: NullableOption<string>;
    /**
     * One of UserAdd, UserExtend, UserUpdate, UserRemove, AdminAdd, AdminRemove, or SystemRemove. A request from the user has
     * a requestType of UserAdd, UserUpdate, or UserRemove. Read-only.
     */
    requestType?: NullableOption<string>;
    // The range of dates that access is to be assigned to the requestor. Read-only.
    schedule?: NullableOption<RequestSchedule>;
    // The details of the verifiable credential that the requestor presented, such as the issuer and claims. Read-only.
    verifiedCredentialsData?: NullableOption<VerifiedCredentialData[]>;
    /**
     * The access package associated with the accessPackageAssignmentRequest. An access package defines the collections of
     * resource roles and the policies for how one or more users can get access to those resources. Read-only. Nullable.
     * Supports $expand.
     */
    accessPackage?: NullableOption<AccessPackage>;
    /**
     * For a requestType of UserAdd or AdminAdd, an access package assignment requested to be created. For a requestType of
     * UserRemove, AdminRemove, or SystemRemove, this property has the id property of an existing assignment to be removed.
     * Supports $expand.
     */
    accessPackageAssignment?: NullableOption<AccessPackageAssignment>;
    // The subject who requested or, if a direct assignment, was assigned. Read-only. Nullable. Supports $expand.
    requestor?: NullableOption<AccessPackageSubject>;
}
export interface AccessPackageSubject extends Entity {
    // Not Supported.
    altSecId?: NullableOption<string>;
    /**
     * The date and time the subject is marked to be blocked from sign in or deleted. The Timestamp type represents date and
     * time information using ISO 8601 format and is always in UTC time.
     */
    cleanupScheduledDateTime?: NullableOption<string>;
    // The identifier of the connected organization of the subject.
    connectedOrganizationId?: NullableOption<string>;
    // The display name of the subject.
    displayName?: NullableOption<string>;
    // The email address of the subject.
    email?: NullableOption<string>;
    // The object identifier of the subject. null if the subject isn't yet a user in the tenant. Alternate key.
    objectId?: NullableOption<string>;
    /**
     * A string representation of the principal's security identifier, if known, or null if the subject doesn't have a
     * security identifier.
     */
    onPremisesSecurityIdentifier?: NullableOption<string>;
    // The principal name, if known, of the subject.
    principalName?: NullableOption<string>;
    /**
     * The lifecycle of the subject user, if a guest. The possible values are: notDefined, notGoverned, governed,
     * unknownFutureValue.
     */
    subjectLifecycle?: NullableOption<AccessPackageSubjectLifecycle>;
    // The resource type of the subject.
    type?: NullableOption<string>;
    // The connected organization of the subject. Read-only. Nullable.
    connectedOrganization?: NullableOption<ConnectedOrganization>;
}
export interface AccessPackageAnswer {
    // The question the answer is for. Required and Read-only.
    answeredQuestion?: NullableOption<AccessPackageQuestion>;
    // The display value of the answer. Required.
    displayValue?: NullableOption<string>;
}
export interface AccessPackageAnswerString extends AccessPackageAnswer {
    // The value stored on the requestor's user profile, if this answer is configured to be stored as a specific attribute.
    value?: NullableOption<string>;
}
export interface AccessPackageAnswerChoice {
    /**
     * The actual value of the selected choice. This is typically a string value which is understandable by applications.
     * Required.
     */
    actualValue?: NullableOption<string>;
    // The localized display values shown to the requestor and approvers. Required.
    displayValue?: NullableOption<AccessPackageLocalizedContent>;
}
export interface AccessPackageQuestion {
    // ID of the question.
    id?: NullableOption<string>;
    // Specifies whether the requestor is allowed to edit answers to questions.
    isAnswerEditable?: NullableOption<boolean>;
    // Whether the requestor is required to supply an answer or not.
    isRequired?: NullableOption<boolean>;
    // Relative position of this question when displaying a list of questions to the requestor.
    sequence?: NullableOption<number>;
    // The text of the question to show to the requestor.
    text?: NullableOption<AccessPackageLocalizedContent>;
}
export interface AccessPackageTextInputQuestion extends AccessPackageQuestion {
    // Indicates whether the answer will be in single or multiple line format.
    isSingleLineQuestion?: NullableOption<boolean>;
    // The regex pattern that the corresponding text answer must follow.
    regexPattern?: NullableOption<string>;
}
export interface AccessPackageMultipleChoiceQuestion extends AccessPackageQuestion {
    // Indicates whether requestor can select multiple choices as their answer.
    allowsMultipleSelection?: NullableOption<boolean>;
    // List of answer choices.
    choices?: NullableOption<AccessPackageAnswerChoice[]>;
}
export interface AccessPackageLocalizedContent {
    // The fallback string, which is used when a requested localization isn't available. Required.
    defaultText?: NullableOption<string>;
    // Content represented in a format for a specific locale.
    localizedTexts?: NullableOption<AccessPackageLocalizedText[]>;
}
export interface AccessPackageLocalizedText {
    // The ISO code for the intended language. Required.
    languageCode?: NullableOption<string>;
    // The text in the specific language. Required.
    text?: NullableOption<string>;
}
export interface RequestSchedule {
    // In entitlement management, when the access should expire.
    expiration?: NullableOption<ExpirationPattern>;
    /**
     * For recurring access, or eligible or active assignment. This property is currently unsupported in both PIM and
     * entitlement management.
     */
    recurrence?: NullableOption<PatternedRecurrence>;
    /**
     * The Timestamp type represents date and time information using ISO 8601 format and is always in UTC time. For example,
     * midnight UTC on Jan 1, 2014 is 2014-01-01T00:00:00Z. In PIM, when the eligible or active assignment becomes active.
     */
    startDateTime?: NullableOption<string>;
}
export interface ExpirationPattern {
    /**
     * The requestor's desired duration of access represented in ISO 8601 format for durations. For example, PT3H refers to
     * three hours. If specified in a request, endDateTime shouldn't be present and the type property should be set to
     * afterDuration.
     */
    duration?: NullableOption<string>;
    /**
     * Timestamp of date and time information using ISO 8601 format and is always in UTC time. For example, midnight UTC on
     * Jan 1, 2014, is 2014-01-01T00:00:00Z.
     */
    endDateTime?: NullableOption<string>;
    // The requestor's desired expiration pattern type.
    type?: NullableOption<ExpirationPatternType>;
}
export interface PatternedRecurrence {
    /**
     * The frequency of an event. Do not specify for a one-time access review. For access reviews: Do not specify this
     * property for a one-time access review. Only interval, dayOfMonth, and type (weekly, absoluteMonthly) properties of
     * recurrencePattern are supported.
     */
    pattern?: NullableOption<RecurrencePattern>;
    // The duration of an event.
    range?: NullableOption<RecurrenceRange>;
}
export interface RecurrencePattern {
    // The day of the month on which the event occurs. Required if type is absoluteMonthly or absoluteYearly.
    dayOfMonth?: number;
    /**
     * A collection of the days of the week on which the event occurs. The possible values are: sunday, monday, tuesday,
     * wednesday, thursday, friday, saturday. If type is relativeMonthly or relativeYearly, and daysOfWeek specifies more than
     * one day, the event falls on the first day that satisfies the pattern. Required if type is weekly, relativeMonthly, or
     * relativeYearly.
     */
    daysOfWeek?: NullableOption<DayOfWeek[]>;
    /**
     * The first day of the week. The possible values are: sunday, monday, tuesday, wednesday, thursday, friday, saturday.
     * Default is sunday. Required if type is weekly.
     */
    firstDayOfWeek?: NullableOption<DayOfWeek>;
    /**
     * Specifies on which instance of the allowed days specified in daysOfWeek the event occurs, counted from the first
     * instance in the month. The possible values are: first, second, third, fourth, last. Default is first. Optional and used
     * if type is relativeMonthly or relativeYearly.
     */
    index?: NullableOption<WeekIndex>;
    /**
     * The number of units between occurrences, where units can be in days, weeks, months, or years, depending on the type.
     * Required.
     */
    interval?: number;
    // The month in which the event occurs. This is a number from 1 to 12.
    month?: number;
    /**
     * The recurrence pattern type: daily, weekly, absoluteMonthly, relativeMonthly, absoluteYearly, relativeYearly. Required.
     * For more information, see values of type property.
     */
    type?: NullableOption<RecurrencePatternType>;
}
export interface RecurrenceRange {
    /**
     * The date to stop applying the recurrence pattern. Depending on the recurrence pattern of the event, the last occurrence
     * of the meeting may not be this date. Required if type is endDate.
     */
    endDate?: NullableOption<string>;
    // The number of times to repeat the event. Required and must be positive if type is numbered.
    numberOfOccurrences?: number;
    // Time zone for the startDate and endDate properties. Optional. If not specified, the time zone of the event is used.
    recurrenceTimeZone?: NullableOption<string>;
    /**
     * The date to start applying the recurrence pattern. The first occurrence of the meeting may be this date or later,
     * depending on the recurrence pattern of the event. Must be the same value as the start property of the recurring event.
     * Required.
     */
    startDate?: NullableOption<string>;
    // The recurrence range. Possible values are: endDate, noEnd, numbered. Required.
    type?: NullableOption<RecurrenceRangeType>;
}
export interface CustomExtensionCalloutInstance {
    // Identification of the custom extension that was triggered at this instance.
    customExtensionId?: NullableOption<string>;
    // Details provided by the logic app during the callback of the request instance.
    detail?: NullableOption<string>;
    // The unique run identifier for the logic app.
    externalCorrelationId?: NullableOption<string>;
    // Unique identifier for the callout instance. Read-only.
    id?: NullableOption<string>;
    /**
     * The status of the request to the custom extension. The possible values are: calloutSent, callbackReceived,
     * calloutFailed, callbackTimedOut, waitingForCallback, unknownFutureValue.
     */
    status?: NullableOption<CustomExtensionCalloutInstanceStatus>;
}
export interface CustomExtensionHandlerInstance {
    // Identifier of the customAccessPackageWorkflowExtension triggered at this instance.
    customExtensionId?: NullableOption<string>;
    // The unique run ID for the logic app.
    externalCorrelationId?: NullableOption<string>;
    /**
     * Indicates the stage of the request workflow when the access package custom extension runs. The possible values are:
     * assignmentRequestCreated, assignmentRequestApproved, assignmentRequestGranted, assignmentRequestRemoved,
     * assignmentFourteenDaysBeforeExpiration, assignmentOneDayBeforeExpiration, unknownFutureValue.
     */
    stage?: NullableOption<AccessPackageCustomExtensionStage>;
    /**
     * Status of the request to run the access package custom extension workflow that is associated with the logic app. The
     * possible values are: requestSent, requestReceived, unknownFutureValue.
     */
    status?: NullableOption<AccessPackageCustomExtensionHandlerStatus>;
}
export interface VerifiedCredentialData {
    // The authority ID for the issuer.
    authority?: NullableOption<string>;
    // Key-value pair of claims retrieved from the credential that the user presented, and the service verified.
    claims?: NullableOption<VerifiedCredentialClaims>;
    // The list of credential types provided by the issuer.
    type?: NullableOption<string[]>;
}
export interface VerifiedCredentialClaims {}
export interface VerifiedCredentialData {
    // The authority ID for the issuer.
    authority?: NullableOption<string>;
    // Key-value pair of claims retrieved from the credential that the user presented, and the service verified.
    claims?: NullableOption<VerifiedCredentialClaims>;
    // The list of credential types provided by the issuer.
    type?: NullableOption<string[]>;
}
export interface RequestActivity {
    action?: NullableOption<string>;
    actionDateTime?: NullableOption<string>;
    detail?: NullableOption<string>;
    scheduledDateTime?: NullableOption<string>;
    userDisplayName?: NullableOption<string>;
    userPrincipalName?: NullableOption<string>;
}
export interface PublicError {
    // Represents the error code.
    code?: NullableOption<string>;
    // Details of the error.
    details?: NullableOption<PublicErrorDetail[]>;
    // Details of the inner error.
    innerError?: NullableOption<PublicInnerError>;
    // A non-localized message for the developer.
    message?: NullableOption<string>;
    // The target of the error.
    target?: NullableOption<string>;
}
export interface PublicErrorDetail {
    // The error code.
    code?: NullableOption<string>;
    // The error message.
    message?: NullableOption<string>;
    // The target of the error.
    target?: NullableOption<string>;
}
export interface PublicErrorResponse {
    error?: NullableOption<PublicError>;
}
export interface PublicInnerError {
    // The error code.
    code?: NullableOption<string>;
    // A collection of error details.
    details?: NullableOption<PublicErrorDetail[]>;
    // The error message.
    message?: NullableOption<string>;
    // The target of the error.
    target?: NullableOption<string>;
}

// ---- STUBS: NOT from the package; empty placeholders for referenced types outside the excerpt, so this file type-checks alone ----
export interface AccessPackageAssignmentPolicy extends Entity {}
export interface AccessPackageAssignmentResourceRole extends Entity {}
export interface AccessPackageCatalog extends Entity {}
export interface AccessPackageResource extends Entity {}
export interface AccessPackageResourceEnvironment extends Entity {}
export interface AccessPackageResourceRequest extends Entity {}
export interface AccessPackageResourceRoleScope extends Entity {}
export interface Approval extends Entity {}
export interface ConnectedOrganization extends Entity {}
export interface EntitlementManagementSettings extends Entity {}
export interface DirectoryObject extends Entity {}
export interface Group extends DirectoryObject {}
