-- Whose self-scores are highest while their indicators are weakest?
-- For each self-evaluation: the share of full marks it gave itself
-- (indicator_score_ratio = Σ score / Σ weight), how many indicators only
-- repeat their target as the "actual", and how many self-evaluation checks
-- failed. A high ratio with many repeated targets or failed checks deserves
-- an evaluator's attention.
with

indicators as (

    select * from marts.fct_indicator_results

),

issues as (

    select document_id, count(*) as self_evaluation_issues
    from marts.fct_data_quality_issues
    where check_id like 'selfeval%' or kind in ('copy_paste_text', 'score_above_weight',
                                                'weights_mismatch', 'score_total_mismatch')
    group by document_id

),

per_document as (

    select
        document_id,
        department_id,
        fiscal_year,
        count(*) as indicator_count,
        sum(score) as score_sum,
        sum(weight) as weight_sum,
        round(sum(score) / nullif(sum(weight), 0), 4) as score_ratio,
        count(*) filter (where flags like '%actual_repeats_target%') as actual_repeats_target,
        count(*) filter (where is_qualitative) as qualitative_targets
    from indicators
    group by all

)

select
    departments.department_name,
    per_document.fiscal_year,
    documents.file_name,
    per_document.indicator_count,
    per_document.score_ratio,
    per_document.actual_repeats_target,
    per_document.qualitative_targets,
    coalesce(issues.self_evaluation_issues, 0) as self_evaluation_issues
from per_document
inner join marts.dim_documents as documents using (document_id)
inner join marts.dim_departments as departments on per_document.department_id = departments.department_id
left join issues using (document_id)
order by per_document.score_ratio desc nulls last, per_document.actual_repeats_target desc
