; The DMA scenarios' secure loader, variant iommu (include/dma_slb.inc).
%define DMA_SLB_MODE 2
%include "dma_slb.inc"
