import { getPostings, getStages } from './loadOptions';
import { searchArchiveReasons, searchPostings, searchStages, searchUsers } from './listSearch';

/** Resource-locator searches (Perform As, Stage, Posting, Archive Reason). */
export const listSearch = { searchArchiveReasons, searchPostings, searchStages, searchUsers };

/** Options of the multi-select filters of Opportunity > Get Many. */
export const loadOptions = { getPostings, getStages };
